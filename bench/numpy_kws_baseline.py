#!/usr/bin/env python3
"""Baseline for `npm run bench`: the kws01 mfcc job in numpy (float64), from the same tar.gz, timed in the same run.

Reads every clip of the archive (gunzip + tar + WAV), zero-pads to 16000 samples, computes float64 MFCC
(480/320 frames, 512-point rfft magnitude, 40-band TF mel matrix, ln(x+1e-6), DCT-II/sqrt(80), 10 coefficients),
quantises to int8 as make_bin_files.py does and writes one .bin per clip into OUT, as prepare does.
Usage: numpy_kws_baseline.py ARCHIVE OUT. Prints {"clips": n, "seconds": s} as JSON.
"""
import io, json, os, sys, tarfile, time, wave
import numpy as np

def mel_matrix():
    mel = lambda f: 1127.0 * np.log(1.0 + f / 700.0)
    freqs = mel(np.linspace(0.0, 8000.0, 257)[1:])[:, None]
    edges = np.linspace(mel(20.0), mel(4000.0), 42)
    lo, mid, hi = edges[:-2], edges[1:-1], edges[2:]
    w = np.maximum(0, np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)))
    return np.vstack([np.zeros((1, 40)), w])

def main(path, out):
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    frames = np.arange(49)[:, None] * 320 + np.arange(480)[None]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(480) / 480)
    weights = mel_matrix()
    k, n = np.arange(10)[:, None], np.arange(40)[None]
    dct = (2 * np.cos(np.pi * k * (2 * n + 1) / 80) / np.sqrt(80)).T
    clips = 0
    with tarfile.open(path, 'r:gz') as archive:
        for member in archive:
            if not member.isfile() or not member.name.endswith('.wav'):
                continue
            with wave.open(io.BytesIO(archive.extractfile(member).read())) as w:
                pcm = np.frombuffer(w.readframes(w.getnframes()), '<i2')
            x = np.zeros(16000); x[:len(pcm)] = pcm
            x = x / x.max()
            mag = np.abs(np.fft.rfft(x[frames] * window, 512))
            mfcc = np.log(mag @ weights + 1e-6) @ dct
            q = np.array(mfcc.astype(np.float32) / np.float32(0.5847029089927673) + np.float32(83)).astype(np.int8)
            with open(os.path.join(out, '%06d.bin' % clips), 'wb') as f:
                f.write(q.tobytes())
            clips += 1
    print(json.dumps({'clips': clips, 'seconds': time.perf_counter() - start}))

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
