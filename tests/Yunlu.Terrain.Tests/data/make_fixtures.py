#!/usr/bin/env python3
"""Writes the committed GeoTIFF fixtures byte by byte, independently of the C# reader and writer
(only Python's struct and zlib), so a reader bug cannot hide behind a matching writer bug.
Run from this folder: python3 make_fixtures.py. Expected pixel values are restated in GeoTiffFixtureTests."""
import struct
import zlib

SHORT, LONG, DOUBLE, ASCII = 3, 4, 12, 2
SIZES = {SHORT: 2, LONG: 4, DOUBLE: 8, ASCII: 1}
FMT = {SHORT: 'H', LONG: 'I', DOUBLE: 'd'}


def tiff(endian, width, height, tags, segments):
    """tags: list of (id, type, values); segments: list of bytes. Offsets tag id 273/324 filled in here."""
    e = '<' if endian == 'II' else '>'
    tags = sorted(tags, key=lambda t: t[0])
    ifd_size = 2 + 12 * len(tags) + 4
    cursor = 8 + ifd_size
    out_of_line = []
    # first pass: sizes (offset tag values are LONG arrays of len(segments))
    layout = []
    for tid, typ, vals in tags:
        n = len(vals)
        size = n * SIZES[typ]
        if size > 4:
            layout.append(cursor)
            cursor += size
        else:
            layout.append(None)
    data_offsets = []
    for s in segments:
        data_offsets.append(cursor)
        cursor += len(s)
    body = bytearray()
    body += (b'II' if endian == 'II' else b'MM') + struct.pack(e + 'HI', 42, 8)
    body += struct.pack(e + 'H', len(tags))
    extra = bytearray()
    for (tid, typ, vals), off in zip(tags, layout):
        if tid in (273, 324):
            vals = data_offsets
        if typ == ASCII:
            raw = vals
        else:
            raw = struct.pack(e + FMT[typ] * len(vals), *vals)
        body += struct.pack(e + 'HHI', tid, typ, len(vals))
        if off is None:
            body += raw + b'\0' * (4 - len(raw))
        else:
            body += struct.pack(e + 'I', off)
            extra += raw
    body += struct.pack(e + 'I', 0)
    body += extra
    for s in segments:
        body += s
    assert len(body) == cursor
    return bytes(body)


def geokeys(raster_type):
    return (34735, SHORT, [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, raster_type, 2048, 0, 1, 4326])


def fixture_be_int16_point():
    # 5 x 4 int16, big-endian, 2 strips of 2 rows, uncompressed, PixelIsPoint, GDAL_NODATA -9999.
    # value(col,row) = 1000 + 100*row + col, except (col 4,row 3) = -9999.
    w, h = 5, 4
    vals = [[1000 + 100 * r + c for c in range(w)] for r in range(h)]
    vals[3][4] = -9999
    strips = [b''.join(struct.pack('>h', v) for row in vals[i:i + 2] for v in row) for i in (0, 2)]
    tags = [
        (256, SHORT, [w]), (257, SHORT, [h]), (258, SHORT, [16]), (259, SHORT, [1]), (262, SHORT, [1]),
        (273, LONG, [0, 0]), (277, SHORT, [1]), (278, SHORT, [2]), (279, LONG, [len(s) for s in strips]),
        (284, SHORT, [1]), (339, SHORT, [2]),
        (33550, DOUBLE, [0.25, 0.5, 0.0]),
        (33922, DOUBLE, [0.0, 0.0, 0.0, 106.0, 27.0, 0.0]),
        geokeys(2),
        (42113, ASCII, b'-9999\0'),
    ]
    return tiff('MM', w, h, tags, strips)


def fp_predict(row_floats, spp=1):
    raw = b''.join(struct.pack('>f', v) for v in row_floats)  # big-endian = most significant byte first
    bps = 4
    wc = len(row_floats)
    planes = bytearray(wc * bps)
    for i in range(wc):
        for b in range(bps):
            planes[b * wc + i] = raw[i * bps + b]
    out = bytearray(planes)
    for i in range(len(out) - 1, spp - 1, -1):
        out[i] = (out[i] - out[i - spp]) & 0xFF
    return bytes(out)


def fixture_le_float32_tiled_deflate_pred3():
    # 20 x 18 float32, little-endian, tiles 16 x 16 (2 x 2 tiles), Deflate, predictor 3, PixelIsArea.
    # value(col,row) = row * 0.5 - col * 0.25 + 300.125
    w, h, t = 20, 18, 16
    def value(c, r):
        return r * 0.5 - c * 0.25 + 300.125
    tiles = []
    for ty in range(2):
        for tx in range(2):
            seg = bytearray()
            for r in range(t):
                row = []
                for c in range(t):
                    x, y = tx * t + c, ty * t + r
                    row.append(value(x, y) if x < w and y < h else 0.0)
                seg += fp_predict(row)
            tiles.append(zlib.compress(bytes(seg)))
    tags = [
        (256, SHORT, [w]), (257, SHORT, [h]), (258, SHORT, [32]), (259, SHORT, [8]), (262, SHORT, [1]),
        (277, SHORT, [1]), (284, SHORT, [1]), (317, SHORT, [3]),
        (322, SHORT, [t]), (323, SHORT, [t]), (324, LONG, [0] * 4), (325, LONG, [len(s) for s in tiles]),
        (339, SHORT, [3]),
        (33550, DOUBLE, [0.001, 0.002, 0.0]),
        (33922, DOUBLE, [0.0, 0.0, 0.0, 106.5, 26.75, 0.0]),
        geokeys(1),
    ]
    return tiff('II', w, h, tags, tiles)


def fixture_le_int16_transform_pred2():
    # 7 x 3 int16, little-endian, one strip, Deflate, predictor 2, ModelTransformation, PixelIsArea.
    # value(col,row) = (col * 37 - row * 1000) ; GDAL_NODATA absent.
    w, h = 7, 3
    seg = bytearray()
    for r in range(h):
        row = [c * 37 - r * 1000 for c in range(w)]
        prev = 0
        for v in row:
            seg += struct.pack('<H', (v - prev) & 0xFFFF)
            prev = v
    strips = [zlib.compress(bytes(seg))]
    tags = [
        (256, SHORT, [w]), (257, SHORT, [h]), (258, SHORT, [16]), (259, SHORT, [8]), (262, SHORT, [1]),
        (273, LONG, [0]), (277, SHORT, [1]), (278, SHORT, [h]), (279, LONG, [len(strips[0])]),
        (284, SHORT, [1]), (317, SHORT, [2]), (339, SHORT, [2]),
        (34264, DOUBLE, [0.1, 0.0, 0.0, -10.0, 0.0, -0.2, 0.0, 45.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
        geokeys(1),
    ]
    return tiff('II', w, h, tags, strips)


for name, make in [
    ('be_int16_strips_point.tif', fixture_be_int16_point),
    ('le_float32_tiled_deflate_pred3.tif', fixture_le_float32_tiled_deflate_pred3),
    ('le_int16_transform_deflate_pred2.tif', fixture_le_int16_transform_pred2),
]:
    with open(name, 'wb') as f:
        f.write(make())
    print(name)
