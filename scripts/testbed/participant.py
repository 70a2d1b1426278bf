#!/usr/bin/env python3
"""A Janus VideoRoom participant (aiortc) that publishes deterministic, identifiable media.

It joins room --room over the Janus WebSocket API (subprotocol ``janus-protocol``) as a
publisher, sends one video track (VP8 or H.264, forced with transceiver codec preferences) and
one Opus audio track, then unpublishes, leaves and exits after exactly --seconds of media.
On stdout it prints one JSON line summarising what it sent; its log goes to stderr.

Media clock
    Both tracks share one clock whose origin is the moment the first frame of either track is
    pulled by the encoder (after ICE and DTLS are up). Video frame n is due at n / fps seconds,
    audio sample s at s / 48000 seconds. The video track sends exactly round(seconds * fps)
    frames, the audio track exactly round(seconds * 50) blocks of 20 ms (960 samples), then
    both end. RTP timestamps are n * 90000 / fps (video) and s (audio) plus aiortc's random
    offsets.
    --audio-start S (0 <= S < seconds) makes the audio start S seconds after the video on the
    same clock: the first audio sample sent is sample a = round(S * 48000), the blocks are
    samples [a + 960 j, a + 960 (j + 1)) and stop at the same end, sample round(seconds * 50)
    * 960 (the last block may run past it by less than 960). Beeps keep their instants on
    the shared clock, so they still coincide with the flashes; a beep that starts before
    sample a is sent only from sample a on, and the summary's beep_start_samples (and
    audio_first_sample = a) list only the beeps that start at or after a. The audio RTP
    timestamp of sample s is then s - a plus the random offset (aiortc counts audio
    timestamps from the first packet); only the send times, and so the RTCP sender reports
    and Janus's receive times, tie it to the video.

Video (yuv420p, BT.601 limited range, width and height even; cell = (width // 16) rounded
down to even, at least 2)
    * background: the whole frame is PALETTE[index % 8] as (Y, U, V):
        0 red (81, 90, 240)       1 green (145, 54, 34)     2 blue (41, 240, 110)
        3 yellow (210, 16, 146)   4 cyan (170, 166, 16)     5 magenta (106, 202, 222)
        6 orange (146, 53, 193)   7 violet (74, 221, 166)
    * index strip: rows [0, cell); cell-wide blocks i = 0..7 from the left show bit i of
      the participant index: white (235, 128, 128) for 1, black (16, 128, 128) for 0.
    * moving square: a cell x cell block at rows [ym, ym + cell) with ym = ((height - cell) // 2)
      rounded down to even, columns [xm, xm + cell) with xm = (n % (width // cell)) * cell;
      black (16, 128, 128) if the background's Y >= 128, else white (235, 128, 128).
    * frame counter: rows [height - cell, height); blocks i = 0..15 from the left show bit i of
      n % 65536, white for 1, black for 0 (if 16 cells are narrower than the frame, the rest of
      the strip is background).
    * flash frames (--flash-every F > 0): frames n_k = round(k * F * fps), k = 1, 2, ... are
      white (235, 128, 128) everywhere except the frame counter strip.

Audio (48 kHz mono s16, phase continuous: sample s = round(A * sin(2 pi f s / 48000)))
    * tone: f = 400 + 100 * (index % 8) Hz (400 .. 1100 Hz), A = 8192 (-12 dBFS).
    * beep (--flash-every F > 0): for 100 ms from sample round(n_k * 48000 / fps), the instant
      of flash frame n_k, the tone is replaced by f = 2000 + 300 * (index % 8) Hz (2000 ..
      4100 Hz: each participant's beep can be told apart in a mix), A = 16384 (-6 dBFS).

Networking: the ICE agent gathers exactly one host candidate, on --bind-address, and uses no
STUN/TURN server, so all traffic stays on the test's veth pair (see scripts/testbed/netns).
Exit status: 0 when the media ran to its end or SIGINT/SIGTERM ended it early (the summary's
"outcome" is "completed" or "stopped-by-signal"), 1 when Janus went away first (hangup or
WebSocket closed: "janus-lost") or a step failed (the log says which), 2 on bad flags.
"""

import argparse
import asyncio
import base64
import fractions
import hashlib
import json
import math
import os
import signal
import struct
import sys
import time
import urllib.parse

import aioice.ice
import av
import numpy as np
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import candidate_from_sdp

PALETTE = [
    (81, 90, 240),
    (145, 54, 34),
    (41, 240, 110),
    (210, 16, 146),
    (170, 166, 16),
    (106, 202, 222),
    (146, 53, 193),
    (74, 221, 166),
]
WHITE = (235, 128, 128)
BLACK = (16, 128, 128)
AUDIO_RATE = 48000
AUDIO_BLOCK = 960  # 20 ms
TONE_AMPLITUDE = 8192
BEEP_AMPLITUDE = 16384
BEEP_SECONDS = 0.1
VIDEO_CLOCK = 90000
ARGS = None  # the parsed flags, set by main()


def tone_frequency(index):
    return 400 + 100 * (index % 8)


def beep_frequency(index):
    return 2000 + 300 * (index % 8)


def log(message):
    print(f"{time.strftime('%H:%M:%S')} participant[{ARGS.index}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Media


class MediaClock:
    """The shared origin of both tracks: set when the first frame of either is pulled."""

    def __init__(self):
        self.origin = None
        self.origin_unix = None

    def start(self):
        if self.origin is None:
            self.origin = time.monotonic()
            self.origin_unix = time.time()
        return self.origin

    async def sleep_until(self, offset_seconds):
        delay = self.start() + offset_seconds - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


def flash_frames(seconds, fps, flash_every):
    """Frame numbers of the flash frames among the round(seconds * fps) frames sent."""
    if flash_every <= 0:
        return []
    total = round(seconds * fps)
    frames = []
    k = 1
    while round(k * flash_every * fps) < total:
        frames.append(round(k * flash_every * fps))
        k += 1
    return frames


def fill(planes, rows, cols, colour):
    """Paints rows x cols (even bounds) of the Y plane and the matching chroma of U and V."""
    y, u, v = planes
    y[rows[0]:rows[1], cols[0]:cols[1]] = colour[0]
    u[rows[0] // 2:rows[1] // 2, cols[0] // 2:cols[1] // 2] = colour[1]
    v[rows[0] // 2:rows[1] // 2, cols[0] // 2:cols[1] // 2] = colour[2]


def render_frame(width, height, index, n, flash):
    """The yuv420p picture of frame n as one (height * 3 / 2, width) array (see module doc)."""
    buffer = np.empty((height * 3 // 2, width), dtype=np.uint8)
    y = buffer[:height]
    chroma = buffer[height:].reshape(2, height // 2, width // 2)
    planes = (y, chroma[0], chroma[1])
    cell = max(2, (width // 16) & ~1)
    background = PALETTE[index % len(PALETTE)]

    fill(planes, (0, height), (0, width), WHITE if flash else background)
    if not flash:
        for bit in range(8):
            fill(planes, (0, cell), (bit * cell, (bit + 1) * cell), WHITE if index >> bit & 1 else BLACK)
        top = ((height - cell) // 2) & ~1
        left = (n % (width // cell)) * cell
        fill(planes, (top, top + cell), (left, left + cell), BLACK if background[0] >= 128 else WHITE)
    counter = n % 65536
    for bit in range(min(16, width // cell)):
        fill(planes, (height - cell, height), (bit * cell, (bit + 1) * cell), WHITE if counter >> bit & 1 else BLACK)
    return buffer


class PatternVideoTrack(MediaStreamTrack):
    kind = "video"

    def __init__(self, clock, index, width, height, fps, total_frames, flashes, finished):
        super().__init__()
        self.clock, self.index, self.width, self.height, self.fps = clock, index, width, height, fps
        self.total_frames, self.flashes, self.finished = total_frames, set(flashes), finished
        self.sent = 0

    async def recv(self):
        n = self.sent
        if n >= self.total_frames:
            self.finished.set()
            self.stop()
            raise MediaStreamError
        await self.clock.sleep_until(n / self.fps)
        if n in self.flashes:
            log(f"flash at video frame {n}")
        frame = av.VideoFrame.from_ndarray(
            render_frame(self.width, self.height, self.index, n, n in self.flashes), format="yuv420p"
        )
        frame.pts = round(n * VIDEO_CLOCK / self.fps)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        self.sent = n + 1
        return frame


class ToneAudioTrack(MediaStreamTrack):
    kind = "audio"

    def __init__(self, clock, index, first_sample, end_sample, beep_starts, finished):
        super().__init__()
        self.clock, self.finished = clock, finished
        self.first_sample, self.end_sample = first_sample, end_sample
        self.tone_hz = tone_frequency(index)
        self.beep_hz = beep_frequency(index)
        self.beep_starts = beep_starts
        self.sent_blocks = 0

    def samples(self, first):
        s = np.arange(first, first + AUDIO_BLOCK, dtype=np.int64)
        hz = np.full(AUDIO_BLOCK, float(self.tone_hz))
        amplitude = np.full(AUDIO_BLOCK, float(TONE_AMPLITUDE))
        for start in self.beep_starts:
            beeping = (s >= start) & (s < start + round(BEEP_SECONDS * AUDIO_RATE))
            hz[beeping] = self.beep_hz
            amplitude[beeping] = BEEP_AMPLITUDE
        return np.round(amplitude * np.sin(2 * math.pi * hz * s / AUDIO_RATE)).astype(np.int16)

    async def recv(self):
        first = self.first_sample + self.sent_blocks * AUDIO_BLOCK
        if first >= self.end_sample:
            self.finished.set()
            self.stop()
            raise MediaStreamError
        await self.clock.sleep_until(first / AUDIO_RATE)
        frame = av.AudioFrame.from_ndarray(self.samples(first).reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = first
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        self.sent_blocks += 1
        return frame


# ---------------------------------------------------------------------------------------------
# WebSocket (RFC 6455 client: just what the Janus API needs)


class WebSocketClosed(Exception):
    pass


class WebSocket:
    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, url, subprotocol):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws" or not parts.hostname:
            raise ValueError(f"--ws must be ws://HOST:PORT[/PATH], got {url!r}")
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {subprotocol}\r\n\r\n"
        )
        writer.write(request.encode())
        head = (await reader.readuntil(b"\r\n\r\n")).decode(errors="replace")
        lines = head.split("\r\n")
        if " 101 " not in lines[0] + " ":
            raise ConnectionError(f"WebSocket upgrade refused: {lines[0]!r}")
        headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
        accept = base64.b64encode(hashlib.sha1((key + cls.GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != accept:
            raise ConnectionError("WebSocket upgrade: wrong Sec-WebSocket-Accept")
        if headers.get("sec-websocket-protocol") != subprotocol:
            raise ConnectionError(f"WebSocket upgrade: subprotocol {headers.get('sec-websocket-protocol')!r}")
        return cls(reader, writer)

    def send_frame(self, opcode, payload):
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
        elif length < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(header + mask + masked)

    async def send_text(self, text):
        self.send_frame(0x1, text.encode())
        await self.writer.drain()

    async def receive_text(self):
        """The next text message; raises WebSocketClosed when the peer closes."""
        message = b""
        while True:
            try:
                first, second = await self.reader.readexactly(2)
                length = second & 0x7F
                if length == 126:
                    (length,) = struct.unpack("!H", await self.reader.readexactly(2))
                elif length == 127:
                    (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
                mask = await self.reader.readexactly(4) if second & 0x80 else None
                payload = await self.reader.readexactly(length)
            except (asyncio.IncompleteReadError, ConnectionError) as error:
                raise WebSocketClosed(f"connection lost: {error}") from error
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = first & 0x0F
            if opcode == 0x8:
                self.send_frame(0x8, payload[:2])
                raise WebSocketClosed("closed by the server")
            if opcode == 0x9:
                self.send_frame(0xA, payload)
                continue
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if first & 0x80:
                    return message.decode()

    async def close(self):
        try:
            self.send_frame(0x8, struct.pack("!H", 1000))
            await self.writer.drain()
        except ConnectionError:
            pass
        self.writer.close()


# ---------------------------------------------------------------------------------------------
# Janus API


class JanusError(Exception):
    pass


class JanusSession:
    """Requests matched to replies by transaction; everything else goes to on_event."""

    def __init__(self, ws, on_event):
        self.ws, self.on_event = ws, on_event
        self.session_id = None
        self.pending = {}
        self.next_transaction = 0
        self.reader = asyncio.ensure_future(self.read_loop())
        self.keepalive = None
        self.closed = None  # why the WebSocket closed, once it has

    async def read_loop(self):
        try:
            while True:
                message = json.loads(await self.ws.receive_text())
                entry = self.pending.get(message.get("transaction"))
                if entry is None:
                    self.on_event(message)
                elif not (message.get("janus") == "ack" and entry[1]):
                    del self.pending[message["transaction"]]
                    entry[0].set_result(message)
        except WebSocketClosed as error:
            self.closed = str(error)
            for future, _ in self.pending.values():
                if not future.done():
                    future.set_exception(JanusError(f"WebSocket closed: {error}"))
            self.on_event({"janus": "websocket-closed", "reason": str(error)})

    async def call(self, body, *, handle_id=None, waits_for_event=False, timeout=10):
        """Sends one request; for plugin messages the reply is the event after the ack."""
        if self.closed:
            raise JanusError(f"cannot send {body['janus']}: WebSocket closed ({self.closed})")
        self.next_transaction += 1
        transaction = f"p{ARGS.index}-{self.next_transaction}"
        body = dict(body, transaction=transaction)
        if self.session_id is not None:
            body["session_id"] = self.session_id
        if handle_id is not None:
            body["handle_id"] = handle_id
        future = asyncio.get_running_loop().create_future()
        self.pending[transaction] = (future, waits_for_event)
        await self.ws.send_text(json.dumps(body))
        try:
            reply = await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            self.pending.pop(transaction, None)
            raise JanusError(f"no reply to {body['janus']} {body.get('body', '')} within {timeout} s")
        data = reply.get("plugindata", {}).get("data", {})
        if reply.get("janus") == "error" or "error" in data:
            detail = reply.get("error") or {"code": data.get("error_code"), "reason": data.get("error")}
            raise JanusError(f"{body['janus']} {body.get('body', '')} failed: {detail}")
        return reply

    async def create(self):
        reply = await self.call({"janus": "create"})
        self.session_id = reply["data"]["id"]
        self.keepalive = asyncio.ensure_future(self.keepalive_loop())

    async def keepalive_loop(self):
        while True:
            await asyncio.sleep(25)
            await self.call({"janus": "keepalive"})

    async def attach(self, plugin):
        reply = await self.call({"janus": "attach", "plugin": plugin})
        return reply["data"]["id"]

    async def message(self, handle_id, body, jsep=None):
        request = {"janus": "message", "body": body}
        if jsep is not None:
            request["jsep"] = jsep
        return await self.call(request, handle_id=handle_id, waits_for_event=True)

    async def close(self):
        if self.keepalive:
            self.keepalive.cancel()
        self.reader.cancel()


# ---------------------------------------------------------------------------------------------
# Participant


def force_codec(transceiver, kind, mime):
    """Offers only `mime` (plus RTX for video) on this transceiver."""
    codecs = RTCRtpSender.getCapabilities(kind).codecs
    preferred = [c for c in codecs if c.mimeType.lower() == mime]
    if not preferred:
        raise RuntimeError(f"aiortc cannot send {mime}")
    transceiver.setCodecPreferences(preferred + [c for c in codecs if c.mimeType.lower() == "video/rtx"])


async def run():
    clock = MediaClock()
    total_frames = round(ARGS.seconds * ARGS.fps)
    audio_first_sample = round(ARGS.audio_start * AUDIO_RATE)
    audio_end_sample = round(ARGS.seconds * AUDIO_RATE / AUDIO_BLOCK) * AUDIO_BLOCK
    flashes = flash_frames(ARGS.seconds, ARGS.fps, ARGS.flash_every)
    beep_starts = [round(n * AUDIO_RATE / ARGS.fps) for n in flashes]
    video_done, audio_done, stopping = asyncio.Event(), asyncio.Event(), asyncio.Event()
    webrtc_up = asyncio.Event()
    lost = []  # why Janus went away before the media ended
    video = PatternVideoTrack(clock, ARGS.index, ARGS.width, ARGS.height, ARGS.fps, total_frames, flashes, video_done)
    audio = ToneAudioTrack(clock, ARGS.index, audio_first_sample, audio_end_sample, beep_starts, audio_done)

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)

    if ARGS.join_delay > 0:
        log(f"waiting {ARGS.join_delay} s before joining")
        try:
            await asyncio.wait_for(stopping.wait(), ARGS.join_delay)
            return None
        except asyncio.TimeoutError:
            pass

    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    remote_candidates = []  # Janus may trickle before its answer arrives
    remote_set = False

    async def add_candidate(candidate):
        if "completed" in candidate:
            await pc.addIceCandidate(None)
            return
        parsed = candidate_from_sdp(candidate["candidate"].split(":", 1)[1])
        parsed.sdpMid = candidate.get("sdpMid")
        parsed.sdpMLineIndex = candidate.get("sdpMLineIndex")
        await pc.addIceCandidate(parsed)

    def on_event(message):
        kind = message.get("janus")
        if kind == "trickle":
            candidate = message.get("candidate", {})
            if remote_set:
                asyncio.ensure_future(add_candidate(candidate))
            else:
                remote_candidates.append(candidate)
        elif kind == "webrtcup":
            log("Janus: webrtcup")
            webrtc_up.set()
        elif kind in ("hangup", "websocket-closed"):
            log(f"Janus: {kind} ({message.get('reason')})")
            if not (video_done.is_set() and audio_done.is_set()):
                lost.append(f"{kind}: {message.get('reason')}")
                stopping.set()
        elif kind in ("media", "slowlink"):
            log(f"Janus: {kind} {json.dumps({k: v for k, v in message.items() if k not in ('session_id', 'sender')})}")
        elif kind == "event":
            log(f"Janus event: {json.dumps(message.get('plugindata', {}).get('data', {}))}")

    ws = await asyncio.wait_for(WebSocket.connect(ARGS.ws, "janus-protocol"), 10)
    janus = JanusSession(ws, on_event)
    publisher_id = None
    try:
        await janus.create()
        handle = await janus.attach("janus.plugin.videoroom")
        joined = await janus.message(
            handle, {"request": "join", "ptype": "publisher", "room": ARGS.room, "display": ARGS.display}
        )
        publisher_id = joined["plugindata"]["data"]["id"]
        log(f"joined room {ARGS.room} as {ARGS.display!r}, publisher id {publisher_id}")

        video_transceiver = pc.addTransceiver(video, direction="sendonly")
        force_codec(video_transceiver, "video", f"video/{ARGS.codec}")
        audio_transceiver = pc.addTransceiver(audio, direction="sendonly")
        force_codec(audio_transceiver, "audio", "audio/opus")
        await pc.setLocalDescription(await pc.createOffer())
        configured = await janus.message(
            handle,
            {"request": "configure", "audio": True, "video": True},
            jsep={"type": "offer", "sdp": pc.localDescription.sdp},
        )
        answer = configured.get("jsep")
        if not answer:
            raise JanusError(f"configure reply without an SDP answer: {configured}")
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type=answer["type"]))
        remote_set = True
        for candidate in remote_candidates:
            await add_candidate(candidate)
        await janus.call({"janus": "trickle", "candidate": {"completed": True}}, handle_id=handle)
        log(f"publishing {ARGS.codec} {ARGS.width}x{ARGS.height}@{ARGS.fps} + opus; "
            f"{total_frames} frames, tone {tone_frequency(ARGS.index)} Hz, flashes at frames {flashes}, "
            f"audio from sample {audio_first_sample}")

        try:
            await asyncio.wait_for(webrtc_up.wait(), 15)
        except asyncio.TimeoutError:
            raise JanusError("no webrtcup within 15 s (ICE or DTLS failed)")
        async def media_finished():
            await video_done.wait()
            await audio_done.wait()

        media_done = asyncio.ensure_future(media_finished())
        stop_wait = asyncio.ensure_future(stopping.wait())
        await asyncio.wait({media_done, stop_wait}, timeout=ARGS.seconds + 15, return_when=asyncio.FIRST_COMPLETED)
        for task in (media_done, stop_wait):
            task.cancel()
        if not (video_done.is_set() and audio_done.is_set()) and not stopping.is_set():
            raise JanusError(f"media did not finish within {ARGS.seconds + 15} s "
                             f"(video {video.sent}/{total_frames} frames)")
        if not stopping.is_set():
            await asyncio.sleep(0.5)  # the last packets, and retransmissions Janus may ask for
        log(f"sent {video.sent} video frames and {audio.sent_blocks} audio blocks")

        if janus.closed:
            log("not leaving: the WebSocket to Janus is closed")
        elif ARGS.abrupt_exit:
            log("leaving abruptly: no unpublish/leave/destroy")
        else:
            await janus.message(handle, {"request": "unpublish"})
            await janus.message(handle, {"request": "leave"})
            await janus.call({"janus": "detach"}, handle_id=handle)
            await janus.call({"janus": "destroy"})
            log("left cleanly")
    finally:
        await janus.close()
        await pc.close()
        await ws.close()

    if lost:
        outcome = "janus-lost"
    elif video_done.is_set() and audio_done.is_set():
        outcome = "completed"
    else:
        outcome = "stopped-by-signal"
    return {
        "outcome": outcome,
        "janus_lost": lost,
        "index": ARGS.index,
        "display": ARGS.display,
        "room": ARGS.room,
        "publisher_id": publisher_id,
        "codec": ARGS.codec,
        "width": ARGS.width,
        "height": ARGS.height,
        "fps": ARGS.fps,
        "video_frames": video.sent,
        "audio_first_sample": audio_first_sample,
        "audio_samples": audio.sent_blocks * AUDIO_BLOCK,
        "background_yuv": list(PALETTE[ARGS.index % len(PALETTE)]),
        "tone_hz": tone_frequency(ARGS.index),
        "beep_hz": beep_frequency(ARGS.index),
        "flash_frames": [n for n in flashes if n < video.sent],
        "beep_start_samples": [
            s for s in beep_starts if audio_first_sample <= s < audio_first_sample + audio.sent_blocks * AUDIO_BLOCK
        ],
        "media_origin_unix": clock.origin_unix,
    }


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ws", required=True, help="Janus WebSocket URL, ws://HOST:PORT")
    parser.add_argument("--room", type=int, default=1234)
    parser.add_argument("--display", help="display name (default participant-INDEX)")
    parser.add_argument("--index", type=int, required=True, help="participant index: colour, tone, index strip")
    parser.add_argument("--codec", choices=["vp8", "h264"], default="vp8")
    parser.add_argument("--seconds", type=float, required=True, help="media duration, at most 600")
    parser.add_argument("--join-delay", type=float, default=0.0, help="seconds to wait before joining")
    parser.add_argument("--flash-every", type=float, default=0.0, help="flash + beep period in seconds (0: off)")
    parser.add_argument("--audio-start", type=float, default=0.0,
                        help="seconds of the shared media clock before the audio starts (video starts at 0)")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=15)
    parser.add_argument("--bind-address", required=True, help="the one local address ICE may use")
    parser.add_argument("--abrupt-exit", action="store_true", help="close without unpublish/leave/destroy")
    args = parser.parse_args()
    if not 0 < args.seconds <= 600 or not 0 <= args.join_delay <= 600:
        parser.error("--seconds must be in (0, 600] and --join-delay in [0, 600]")
    if not 0 <= args.audio_start < args.seconds:
        parser.error("--audio-start must be in [0, --seconds)")
    if args.width % 2 or args.height % 2 or args.width < 32 or args.height < 32 or not 1 <= args.fps <= 60:
        parser.error("--width/--height must be even and >= 32, --fps in 1..60")
    if args.index < 0 or args.index > 255:
        parser.error("--index must be in 0..255")
    args.display = args.display or f"participant-{args.index}"
    return args


def main():
    global ARGS
    ARGS = parse_args()
    # One host candidate on the test's address: never the machine's other interfaces.
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: [ARGS.bind_address]
    hard_limit = ARGS.join_delay + ARGS.seconds + 45
    try:
        summary = asyncio.run(asyncio.wait_for(run(), hard_limit))
    except asyncio.TimeoutError:
        log(f"gave up after {hard_limit} s")
        sys.exit(1)
    except (JanusError, WebSocketClosed, ConnectionError, OSError, ValueError, RuntimeError) as error:
        log(f"failed: {error}")
        sys.exit(1)
    if summary is not None:
        print(json.dumps(summary), flush=True)
        if summary["outcome"] == "janus-lost":
            sys.exit(1)


if __name__ == "__main__":
    main()
