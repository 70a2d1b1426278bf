#!/usr/bin/env python3
"""Reads back the pattern and tones of scripts/testbed/participant.py from a decoded file.

    check-media.py video FILE      (e.g. a .webm/.mp4 made by janus-pp-rec)
    check-media.py audio FILE [BEEP_HZ]   (e.g. an .opus made by janus-pp-rec; beep 2000 Hz by default)

Prints one JSON object. Video: codec, size, frame count, per-frame counters read from the
bottom strip (and whether they run 0, 1, 2, ... without a gap), the participant index read
from the top strip, the background (Y, U, V) and the flash frames. Audio: sample rate, samples
per channel, the dominant frequency of each 100 ms window (as runs of equal values) and the
instants where the beep (participant index k beeps at 2000 + 300 k Hz) starts. Each block is read from its centre (a quarter of a cell
in from every side) so that coding noise at block edges does not matter.
"""

import json
import sys

import av
import numpy as np

DEFAULT_BEEP_HZ = 2000


def block_is_white(y, rows, cols):
    margin_r, margin_c = (rows[1] - rows[0]) // 4, (cols[1] - cols[0]) // 4
    return int(y[rows[0] + margin_r:rows[1] - margin_r, cols[0] + margin_c:cols[1] - margin_c].mean() > 128)


def read_video(path):
    container = av.open(path)
    stream = container.streams.video[0]
    counters, indices, flashes, backgrounds = [], [], [], []
    width = height = 0
    for frame in container.decode(stream):
        width, height = frame.width, frame.height
        picture = frame.to_ndarray(format="yuv420p")
        y = picture[:height]
        chroma = picture[height:].reshape(2, height // 2, width // 2)
        cell = max(2, (width // 16) & ~1)
        bottom = (height - cell, height)
        counter = sum(block_is_white(y, bottom, (b * cell, (b + 1) * cell)) << b for b in range(min(16, width // cell)))
        counters.append(counter)
        # The background between the index strip and the moving square's row, left half.
        top = ((height - cell) // 2) & ~1
        region = (slice(cell + 2, max(cell + 4, top - 2)), slice(2, width // 2))
        chroma_region = (slice(region[0].start // 2, region[0].stop // 2), slice(1, width // 4))
        yuv = (float(y[region].mean()), float(chroma[0][chroma_region].mean()), float(chroma[1][chroma_region].mean()))
        if yuv[0] > 225 and abs(yuv[1] - 128) < 8 and abs(yuv[2] - 128) < 8:
            flashes.append(counter)
            continue
        indices.append(sum(block_is_white(y, (0, cell), (b * cell, (b + 1) * cell)) << b for b in range(8)))
        backgrounds.append(yuv)
    container.close()
    return {
        "codec": stream.codec_context.name,
        "width": width,
        "height": height,
        "frames": len(counters),
        "first_counter": counters[0] if counters else None,
        "last_counter": counters[-1] if counters else None,
        "counters_consecutive": counters == list(range(counters[0], counters[0] + len(counters))) if counters else False,
        "index": max(set(indices), key=indices.count) if indices else None,
        "background_yuv": [round(float(np.mean([b[i] for b in backgrounds])), 1) for i in range(3)] if backgrounds else None,
        "flash_frames": flashes,
    }


def read_audio(path, beep_hz=DEFAULT_BEEP_HZ):
    container = av.open(path)
    stream = container.streams.audio[0]
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
    chunks = []
    for frame in container.decode(stream):
        for out in resampler.resample(frame):
            chunks.append(out.to_ndarray().reshape(-1))
    container.close()
    samples = np.concatenate(chunks).astype(np.float64) if chunks else np.zeros(0)
    window = 4800
    dominant = []
    for start in range(0, len(samples) - window + 1, window):
        spectrum = np.abs(np.fft.rfft(samples[start:start + window] * np.hanning(window)))
        dominant.append(int(round(np.argmax(spectrum) * 48000 / window)))
    runs = []
    for hz in dominant:
        if runs and runs[-1][0] == hz:
            runs[-1][1] += 1
        else:
            runs.append([hz, 1])
    # Beep onsets: 5 ms steps where the 2 kHz share of the signal rises past half.
    step = 240
    onsets, beeping = [], False
    probe = np.exp(-2j * np.pi * beep_hz * np.arange(step) / 48000)
    for start in range(0, len(samples) - step + 1, step):
        block = samples[start:start + step]
        energy = np.sum(block ** 2)
        beep = abs(np.dot(block, probe)) ** 2 * 2 / step
        now = energy > 0 and beep / energy > 0.5
        if now and not beeping:
            onsets.append(round(start / 48000, 3))
        beeping = now
    return {
        "codec": stream.codec_context.name,
        "sample_rate": 48000,
        "samples": len(samples),
        "seconds": round(len(samples) / 48000, 3),
        "dominant_hz_runs_100ms": runs,
        "beep_onsets_s": onsets,
    }


if __name__ == "__main__":
    if not (len(sys.argv) == 3 or (len(sys.argv) == 4 and sys.argv[1] == "audio")) or sys.argv[1] not in ("video", "audio"):
        sys.exit(__doc__)
    if sys.argv[1] == "video":
        result = read_video(sys.argv[2])
    else:
        result = read_audio(sys.argv[2], *(int(value) for value in sys.argv[3:]))
    print(json.dumps(result))
