#!/usr/bin/env python3
"""Checks Janus recordings (.mjr) of scripts/testbed/participant.py against what it sent.

    check-recording.py participant SUMMARY VIDEO_CHECK AUDIO_CHECK VIDEO.mjr AUDIO.mjr
        SUMMARY is the participant's JSON summary, VIDEO_CHECK and AUDIO_CHECK the JSON that
        check-media.py printed for the decoded tracks. Prints one JSON object with the
        receive times of both recordings; exits 1 (problems on stderr) unless the recording
        holds exactly what was sent: every frame once with consecutive counters, the
        participant index, the flashes at the frames sent, the tone, the beeps at their
        instants (within 20 ms), the audio starting --audio-start after the video, and
        audio and video of the same media instant received within 20 ms of each other.

    check-recording.py meeting PREFIX=FACTS:JOIN:LEAVE ...
        FACTS is what `participant` printed for that participant; JOIN and LEAVE are the
        expected seconds from the meeting start (the first packet of any recording). Prints
        each participant's join and leave time (first and last packet received, either track)
        as JSON; exits 1 if one is more than 0.5 s off.

MJR00002 layout (Janus record.c): "MJR00002", a 16-bit big-endian length, a JSON header whose
"u" is the wall clock (microseconds) of the first packet, then one record per packet:

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                     "MEET" (0x4d454554)                       |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |       receive time, ms since the first packet (big-endian)    |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |        length (bytes)         |     RTP packet (length bytes) ...
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
"""

import json
import statistics
import struct
import sys

AUDIO_RATE = 48000
VIDEO_CLOCK = 90000
BEEP_TOLERANCE_S = 0.02
AUDIO_START_TOLERANCE_S = 0.15
ARRIVAL_SYNC_TOLERANCE_S = 0.02
JOIN_LEAVE_TOLERANCE_S = 0.5


class MjrError(Exception):
    pass


def read_mjr(path):
    """(header, [(receive_unix_seconds, rtp_timestamp)]) of one MJR00002 file."""
    data = open(path, "rb").read()
    if data[:8] != b"MJR00002" or len(data) < 10:
        raise MjrError(f"{path}: not an MJR00002 file")
    (header_length,) = struct.unpack_from("!H", data, 8)
    if 10 + header_length > len(data):
        raise MjrError(f"{path}: header of {header_length} bytes runs past the end")
    header = json.loads(data[10:10 + header_length])
    first_us = header.get("u")
    if not isinstance(first_us, int):
        raise MjrError(f"{path}: header without the first packet time 'u': {header}")
    packets = []
    offset = 10 + header_length
    while offset < len(data):
        if len(data) - offset < 10 or data[offset:offset + 4] != b"MEET":
            raise MjrError(f"{path}: bad packet record at offset {offset}")
        received_ms, length = struct.unpack_from("!IH", data, offset + 4)
        rtp = data[offset + 10:offset + 10 + length]
        if len(rtp) != length or length < 12:
            raise MjrError(f"{path}: packet at offset {offset}: {length} bytes announced, {len(rtp)} present")
        packets.append((first_us / 1e6 + received_ms / 1e3, struct.unpack_from("!I", rtp, 4)[0]))
        offset += 10 + length
    if not packets:
        raise MjrError(f"{path}: no packets")
    return header, packets


def arrival_lateness(packets, clock, media_start):
    """Per packet: receive time minus media time (RTP timestamp since the first, + media_start)."""
    first_rtp = packets[0][1]
    return [received - (media_start + ((rtp - first_rtp) % 2**32) / clock) for received, rtp in packets]


def lateness_spread_ms(lateness):
    """95th percentile minus minimum of the packets' lateness, in ms."""
    ordered = sorted(lateness)
    return round((ordered[int(0.95 * (len(ordered) - 1))] - ordered[0]) * 1000, 1)


def check_participant(summary_path, video_check_path, audio_check_path, video_mjr, audio_mjr):
    sent = json.load(open(summary_path))
    video, audio = json.load(open(video_check_path)), json.load(open(audio_check_path))
    name = sent["display"]
    problems = []

    expect = {"frames": sent["video_frames"], "first_counter": 0, "last_counter": sent["video_frames"] - 1,
              "counters_consecutive": True, "index": sent["index"], "width": sent["width"],
              "height": sent["height"], "flash_frames": sent["flash_frames"]}
    for key, value in expect.items():
        if video[key] != value:
            problems.append(f"video {key}: recorded {video[key]!r}, sent {value!r}")

    first_sample = sent.get("audio_first_sample", 0)
    tones = {hz for hz, _ in audio["dominant_hz_runs_100ms"]}
    wanted_tones = {sent["tone_hz"]} | ({sent["beep_hz"]} if sent["beep_start_samples"] else set())
    if tones != wanted_tones:
        problems.append(f"audio: dominant frequencies {sorted(tones)}, sent {sorted(wanted_tones)} Hz")
    if abs(audio["samples"] - sent["audio_samples"]) > AUDIO_RATE // 50:
        problems.append(f"audio: {audio['samples']} samples decoded, {sent['audio_samples']} sent")
    # Beep instants in the decoded audio, which starts at the first sample sent.
    expected_onsets = [(s - first_sample) / AUDIO_RATE for s in sent["beep_start_samples"]]
    onsets = audio["beep_onsets_s"]
    if len(onsets) != len(expected_onsets):
        problems.append(f"audio: beeps at {onsets} s, sent at {expected_onsets} s")
    else:
        for got, wanted in zip(onsets, expected_onsets):
            if abs(got - wanted) > BEEP_TOLERANCE_S:
                problems.append(f"audio: beep at {got} s, sent at {wanted} s")

    try:
        video_header, video_packets = read_mjr(video_mjr)
        audio_header, audio_packets = read_mjr(audio_mjr)
    except (MjrError, OSError, ValueError) as error:
        sys.exit(f"check-recording: {name}: {error}")
    if video_header.get("t") != "v" or video_header.get("c") != sent["codec"]:
        problems.append(f"video recording header {video_header}, sent {sent['codec']}")
    if audio_header.get("t") != "a" or audio_header.get("c") != "opus":
        problems.append(f"audio recording header {audio_header}, sent opus")

    # Both tracks on the sender's clock: lateness = receive time - media time, which is the
    # same for audio and video when the recording keeps lip sync.
    video_lateness = arrival_lateness(video_packets, VIDEO_CLOCK, 0.0)
    audio_lateness = arrival_lateness(audio_packets, AUDIO_RATE, first_sample / AUDIO_RATE)
    audio_minus_video = statistics.median(audio_lateness) - statistics.median(video_lateness)
    if abs(audio_minus_video) > ARRIVAL_SYNC_TOLERANCE_S:
        problems.append(f"audio arrives {audio_minus_video * 1000:.1f} ms after video of the same media instant (median)")
    audio_start = audio_packets[0][0] - video_packets[0][0]
    if abs(audio_start - first_sample / AUDIO_RATE) > AUDIO_START_TOLERANCE_S:
        problems.append(f"audio's first packet {audio_start:.3f} s after video's, sent {first_sample / AUDIO_RATE} s after")

    facts = {
        "display": name,
        "video_first_received_unix": round(video_packets[0][0], 3),
        "video_last_received_unix": round(video_packets[-1][0], 3),
        "audio_first_received_unix": round(audio_packets[0][0], 3),
        "audio_last_received_unix": round(audio_packets[-1][0], 3),
        "video_packets": len(video_packets),
        "audio_packets": len(audio_packets),
        "audio_first_packet_after_video_s": round(audio_start, 3),
        # Median receive-time offset of audio against video for the same media instant.
        "audio_minus_video_arrival_ms": round(audio_minus_video * 1000, 1),
        # How far packets trail the earliest one on the media clock: a sender that keeps up
        # stays within a frame or two.
        "video_arrival_spread_ms": lateness_spread_ms(video_lateness),
        "audio_arrival_spread_ms": lateness_spread_ms(audio_lateness),
        "beep_onsets_expected_s": [round(t, 3) for t in expected_onsets],
    }
    print(json.dumps(facts))
    if problems:
        sys.exit(f"check-recording: {name}: " + "; ".join(problems))


def check_meeting(entries):
    participants = []
    for entry in entries:
        prefix, _, rest = entry.partition("=")
        path, join, leave = rest.rsplit(":", 2)
        facts = json.load(open(path))
        participants.append((prefix, facts, float(join), float(leave)))
    start = min(min(f["video_first_received_unix"], f["audio_first_received_unix"]) for _, f, _, _ in participants)
    result, problems = {}, []
    for prefix, facts, join, leave in participants:
        joined = min(facts["video_first_received_unix"], facts["audio_first_received_unix"]) - start
        left = max(facts["video_last_received_unix"], facts["audio_last_received_unix"]) - start
        result[prefix] = {"join_s": round(joined, 2), "leave_s": round(left, 2)}
        if abs(joined - join) > JOIN_LEAVE_TOLERANCE_S or abs(left - leave) > JOIN_LEAVE_TOLERANCE_S:
            problems.append(f"{prefix}: in the meeting {joined:.2f}..{left:.2f} s, expected {join}..{leave} s")
    result["start_unix"] = round(start, 3)
    print(json.dumps(result))
    if problems:
        sys.exit("check-recording: " + "; ".join(problems))


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "participant":
        check_participant(*sys.argv[2:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "meeting":
        check_meeting(sys.argv[2:])
    else:
        sys.exit(__doc__)
