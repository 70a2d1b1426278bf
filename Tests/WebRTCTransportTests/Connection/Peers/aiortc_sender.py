#!/usr/bin/env python3
"""An aiortc peer that offers and sends one video and one audio track, for the connection tests.

Protocol, one JSON object per line:
  stdout  {"type": "offer", "sdp": "..."}     after gathering; the video codec is forced
  stdin   {"type": "answer", "sdp": "..."}    the test's answer
  stdout  {"event": "connected"}              ICE and DTLS completed; sending starts
  stdout  {"event": "done", "videoFrames": n, "audioFrames": n, "retransmitRequests": n,
           "keyframeRequests": n}             after --seconds of media, once the tracks ended
                                              (retransmissions are still answered)
  stdout  {"event": "failed", "state": "..."}  when the connection fails or closes early
  stdout  {"event": "error", "message": "..."} on any exception; exit status 1
  stdin   "bye" or end of input                 close and exit (also when --timeout passes)

The video is 320x240 at 30 fps. Frame n shows n as 16 vertical bars, each 20 pixels wide,
most significant bit at the left: luma 224 for a one, 32 for a zero, chroma neutral. The
bars survive lossy coding, so the receiver reads n back from the centre of each bar.
The audio is a 440 Hz sine, 48 kHz mono, in 20 ms frames.

aioice leaves 127.0.0.1 out of its host candidates; the gatherer is pointed at it here.
Every wait is bounded so the script ends on its own.
"""
import argparse
import asyncio
import fractions
import json
import math
import sys
import time

import aioice.ice
import av
import numpy
from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

WIDTH, HEIGHT, FPS, BITS = 320, 240, 30, 16
SAMPLE_RATE, SAMPLES_PER_FRAME = 48000, 960

counts = {"retransmitRequests": 0, "keyframeRequests": 0}


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def count_calls(cls, name, key):
    original = getattr(cls, name)

    def wrapper(self, *args, **kwargs):
        counts[key] += 1
        return original(self, *args, **kwargs)

    setattr(cls, name, wrapper)


count_calls(RTCRtpSender, "_retransmit", "retransmitRequests")
count_calls(RTCRtpSender, "_send_keyframe", "keyframeRequests")


class PacedTrack(MediaStreamTrack):
    """Produces frames at real-time pace; counts what it produced."""

    def __init__(self, rate, step):
        super().__init__()
        self.rate, self.step, self.produced, self.start = rate, step, 0, None

    async def next_pts(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self.start is None:
            self.start = time.monotonic()
        pts = self.produced * self.step
        await asyncio.sleep(max(0, self.start + pts / self.rate - time.monotonic()))
        self.produced += 1
        return pts


class CounterVideoTrack(PacedTrack):
    kind = "video"

    def __init__(self):
        super().__init__(90000, 90000 // FPS)

    async def recv(self):
        number = self.produced
        pts = await self.next_pts()
        bits = [(number >> (BITS - 1 - i)) & 1 for i in range(BITS)]
        row = numpy.repeat(numpy.where(numpy.array(bits) == 1, 224, 32).astype(numpy.uint8), WIDTH // BITS)
        luma = numpy.tile(row, (HEIGHT, 1))
        chroma = numpy.full((HEIGHT // 2, WIDTH), 128, dtype=numpy.uint8)
        frame = av.VideoFrame.from_ndarray(numpy.vstack([luma, chroma]), format="yuv420p")
        frame.pts, frame.time_base = pts, fractions.Fraction(1, 90000)
        return frame


class SineAudioTrack(PacedTrack):
    kind = "audio"

    def __init__(self):
        super().__init__(SAMPLE_RATE, SAMPLES_PER_FRAME)

    async def recv(self):
        pts = await self.next_pts()
        t = (numpy.arange(SAMPLES_PER_FRAME) + pts) / SAMPLE_RATE
        samples = (numpy.sin(2 * math.pi * 440 * t) * 8000).astype(numpy.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.pts, frame.sample_rate, frame.time_base = pts, SAMPLE_RATE, fractions.Fraction(1, SAMPLE_RATE)
        return frame


def video_preferences(codec):
    capabilities = RTCRtpSender.getCapabilities("video").codecs
    chosen = [c for c in capabilities if c.mimeType == f"video/{codec}"
              and (codec != "H264" or c.parameters.get("packetization-mode") == "1")]
    return chosen[:1] + [c for c in capabilities if c.mimeType == "video/rtx"]


async def read_line(timeout):
    loop = asyncio.get_running_loop()
    return await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.readline), timeout)


async def main(codec, seconds, timeout):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    connected = asyncio.Event()
    failed = asyncio.Event()

    @pc.on("connectionstatechange")
    def on_state():
        if pc.connectionState == "connected":
            connected.set()
        elif pc.connectionState in ("failed", "closed"):
            failed.set()

    video, audio = CounterVideoTrack(), SineAudioTrack()
    try:
        pc.addTransceiver(video, direction="sendonly").setCodecPreferences(video_preferences(codec))
        pc.addTransceiver(audio, direction="sendonly")
        await pc.setLocalDescription(await pc.createOffer())
        emit({"type": "offer", "sdp": pc.localDescription.sdp})
        answer = json.loads(await read_line(timeout))
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
        done, _ = await asyncio.wait(
            [asyncio.create_task(connected.wait()), asyncio.create_task(failed.wait())],
            timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if not connected.is_set():
            emit({"event": "failed", "state": pc.connectionState})
            await read_line(timeout)
            return 0
        emit({"event": "connected"})
        await asyncio.sleep(seconds)
        video.stop()
        audio.stop()
        await asyncio.sleep(0.3)  # the last frames leave the encoders and the sockets
        emit({"event": "done", "videoFrames": video.produced, "audioFrames": audio.produced, **counts})
        await read_line(timeout)
    except Exception as error:  # report anything to the test, which prints it
        emit({"event": "error", "message": f"{type(error).__name__}: {error}"})
        return 1
    finally:
        await pc.close()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--codec", choices=["VP8", "H264"], required=True)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.codec, args.seconds, args.timeout)))
