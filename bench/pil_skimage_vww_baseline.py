#!/usr/bin/env python3
"""Baseline for `npm run bench`: the vww01 job as a user writes it with PIL and scikit-image, from the same zip.

Reads every .jpg member of the zip, decodes it with PIL (RGB), resizes it with skimage.transform.resize to 96x96
with anti_aliasing=True, and writes (255*x).astype(uint8) as one .bin per image into OUT, as prepare does (without
its byte parity: scikit-image's resize has changed since the 2021 script).
Usage: pil_skimage_vww_baseline.py ZIP OUT. Prints {"images": n, "seconds": s} as JSON; exits 3 without PIL or skimage.
"""
import io, json, os, sys, time, zipfile

try:
    import numpy as np
    from PIL import Image
    from skimage.transform import resize
except ImportError as error:
    print(f'{error}', file=sys.stderr)
    sys.exit(3)

def main(path, out):
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    images = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.lower().endswith('.jpg'):
                continue
            pixels = np.asarray(Image.open(io.BytesIO(archive.read(name))).convert('RGB'))
            stimulus = (255 * resize(pixels, (96, 96), anti_aliasing=True)).astype(np.uint8)
            with open(os.path.join(out, os.path.basename(name)[:-4] + '.bin'), 'wb') as f:
                f.write(stimulus.tobytes())
            images += 1
    print(json.dumps({'images': images, 'seconds': time.perf_counter() - start}))

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
