"""The numpy oracle of the sww01 build (stimuli.md 5.2), for the parity tests of `tinydata prepare sww`.

usage: sww-oracle.py SPEC SPEECH_COMMANDS_ARCHIVE MUSAN_ARCHIVE OUT_WAV OUT_WINDOWS_JSON OUT_MIX_F32

Reads the clips the spec names straight out of the two archives (Speech Commands: <word>/<clip>.wav; MUSAN:
musan/<kind>/.../<clip>.wav), mixes them with numpy as build_long_wav.py does, and writes the stereo WAV and the
detection windows, and the float32 mix before its normalisation (raw little-endian). Written from the recipe in the spec, not from the reference script.
"""
import io
import json
import sys
import tarfile
import wave

import numpy as np

RATE = 16000
REL_THRESH = 0.05


def read_members(archive, placeholder, root=''):
    """Every file of the archive by its spec path: `placeholder/` standing for the folder `root`."""
    clips = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            name = member.name[2:] if member.name.startswith('./') else member.name
            if member.isfile() and name.startswith(root):
                clips[placeholder + '/' + name[len(root):]] = tar.extractfile(member).read()
    return clips


def int16_samples(data):
    with wave.open(io.BytesIO(data)) as clip:
        assert clip.getframerate() == RATE and clip.getnchannels() == 1 and clip.getsampwidth() == 2
        return np.frombuffer(clip.readframes(clip.getnframes()), dtype='<i2').astype(np.int16)


def main(spec_path, speech_commands, musan, out_wav, out_windows, out_mix):
    with open(spec_path) as f:
        spec = json.load(f)
    clips = read_members(speech_commands, '{speech_commands_path}')
    clips.update(read_members(musan, '{musan_path}', 'musan/'))

    long_wav = np.zeros(int(spec['length_sec'] * RATE), dtype=np.float32)
    for path, t0, t1, rms in spec['configs_background']:
        bg = int16_samples(clips[path])[:int((t1 - t0) * RATE)]
        bg = rms * (bg / np.std(bg))
        long_wav[int(t0 * RATE):int(t1 * RATE)] += bg
    windows = []
    for path, insertion, amplitude in spec['configs_wakeword']:
        w = int16_samples(clips[path])
        above = np.nonzero(w > np.max(w) * REL_THRESH)[0]
        w = w[np.min(above):np.max(above)]
        w = w / np.std(w)
        start = int(insertion * RATE)
        long_wav[start:start + len(w)] += amplitude * w
        windows.append([insertion, insertion + len(w) / RATE])
    long_wav.astype('<f4').tofile(out_mix)
    long_wav = long_wav / np.max(np.abs(long_wav))
    as_int16 = (long_wav * 32768).astype(np.int16)
    with wave.open(out_wav, 'wb') as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(np.stack((as_int16, as_int16), axis=1).astype('<i2').tobytes())
    with open(out_windows, 'w') as f:
        json.dump(windows, f)


if __name__ == '__main__':
    main(*sys.argv[1:])
