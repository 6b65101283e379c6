#!/usr/bin/env python3
"""pngpix.py FILE X,Y ... — print the RGBA of pixels of an 8-bit PNG (no PIL
needed: zlib + the five PNG filters). 'pngpix.py FILE --size' prints WxH;
'pngpix.py FILE --partial' counts pixels that are neither the darkest nor the
brightest value of the image's first channel (anti-aliased edge pixels)."""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit('%s: not a PNG' % path)
    pos, idat, w = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            if depth != 8 or interlace or ctype not in (2, 6):
                raise SystemExit('%s: only 8-bit RGB/RGBA non-interlaced' % path)
            bpp = 4 if ctype == 6 else 3
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main():
    w, h, bpp, rows = read_png(sys.argv[1])
    for arg in sys.argv[2:]:
        if arg == '--size':
            print('%dx%d' % (w, h))
        elif arg == '--partial':
            vals = [rows[y][x * bpp] for y in range(h) for x in range(w)]
            lo, hi = min(vals), max(vals)
            print(sum(1 for v in vals if lo < v < hi))
        else:
            x, y = (int(v) for v in arg.split(','))
            px = rows[y][x * bpp:x * bpp + bpp]
            print(' '.join(str(v) for v in px) + ('' if bpp == 4 else ' 255'))


if __name__ == '__main__':
    main()
