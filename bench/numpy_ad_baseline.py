#!/usr/bin/env python3
"""Baseline for `npm run bench`: the ad01 log-mel job in vectorised numpy (float64), from the same zip, timed in the same run.

Reads every ToyCar test clip of the zip (inflate + WAV), computes the librosa 0.6-style log-mel spectrogram
(int16/32768, centred reflect-padded STFT 1024/512 with a periodic Hann window, |X|², 128-band Slaney mel basis with
unit-area triangles applied as one dense product, 10·log10(x + eps)) for frames 50..249 only, and writes one float32
.bin per clip into OUT, as prepare does. Usage: numpy_ad_baseline.py ZIP OUT. Prints {"clips": n, "seconds": s} as JSON.
"""
import io, json, os, sys, time, wave, zipfile
import numpy as np

SR, N_FFT, HOP, N_MELS, FIRST, FRAMES = 16000, 1024, 512, 128, 50, 200

def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    return np.where(f >= 1000, 15 + np.log(np.maximum(f, 1e-10) / 1000) / (np.log(6.4) / 27), f / (200 / 3))

def mel_to_hz(m):
    return np.where(m >= 15, 1000 * np.exp(np.log(6.4) / 27 * (m - 15)), m * 200 / 3)

def slaney_mel_basis():
    bins = np.linspace(0, SR / 2, N_FFT // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2), N_MELS + 2))
    lower = (bins[None] - edges[:-2, None]) / np.diff(edges)[:-1, None]
    upper = (edges[2:, None] - bins[None]) / np.diff(edges)[1:, None]
    return np.maximum(0, np.minimum(lower, upper)) * (2 / (edges[2:] - edges[:-2]))[:, None]

def main(path, out):
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)
    basis = slaney_mel_basis()
    frames = (np.arange(FIRST, FIRST + FRAMES) * HOP)[:, None] + np.arange(N_FFT)[None]
    clips = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if '/test/' not in name or not name.endswith('.wav'):
                continue
            with wave.open(io.BytesIO(archive.read(name))) as w:
                pcm = np.frombuffer(w.readframes(w.getnframes()), '<i2')
            y = np.pad(pcm / 32768.0, N_FFT // 2, mode='reflect')
            power = np.abs(np.fft.rfft(y[frames] * window, axis=1)) ** 2
            log_mel = 10 * np.log10(power @ basis.T + sys.float_info.epsilon)
            with open(os.path.join(out, os.path.basename(name)[:-4] + '.bin'), 'wb') as f:
                f.write(log_mel.astype(np.float32).tobytes())
            clips += 1
    print(json.dumps({'clips': clips, 'seconds': time.perf_counter() - start}))

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
