#!/usr/bin/env python3
"""Draws motcua.ico (the app's icon: one open door, "một cửa", on the desk's blue).

Pure Python, no image library: 16, 32, 48 px as 32-bit DIBs and 256 px as PNG, the
sizes Windows shows in Explorer, the Start menu and on the desktop.
    python3 assets/windows/make-icon.py assets/windows/motcua.ico
"""
import struct, sys, zlib

BLUE = (0x1D, 0x4E, 0x89)
WHITE = (0xFF, 0xFF, 0xFF)
GOLD = (0xF2, 0xB7, 0x05)


def pixel(x, y, n):
    """RGBA of pixel (x, y) of an n×n icon, drawn in unit coordinates."""
    u, v = (x + 0.5) / n, (y + 0.5) / n
    r = 0.18  # rounded corners of the tile
    cx, cy = min(max(u, r), 1 - r), min(max(v, r), 1 - r)
    if (u - cx) ** 2 + (v - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    # The door frame (white), the open door leaf (gold), the knob.
    if 0.30 <= u <= 0.70 and 0.22 <= v <= 0.84:
        if 0.36 <= u <= 0.64 and 0.28 <= v <= 0.84:
            if u <= 0.47:
                return GOLD + (255,)
            return BLUE + (255,)
        return WHITE + (255,)
    if 0.20 <= u <= 0.80 and 0.84 <= v <= 0.89:
        return WHITE + (255,)
    return BLUE + (255,)


def rows(n):
    return [[pixel(x, y, n) for x in range(n)] for y in range(n)]


def png(n):
    raw = b"".join(b"\0" + bytes(c for p in row for c in p) for row in rows(n))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    ihdr = struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def dib(n):
    header = struct.pack("<IiiHHIIiiII", 40, n, 2 * n, 1, 32, 0, 0, 0, 0, 0, 0)
    bgra = b"".join(bytes((p[2], p[1], p[0], p[3])) for row in reversed(rows(n)) for p in row)
    mask_row = ((n + 31) // 32) * 4
    return header + bgra + b"\0" * (mask_row * n)


def ico(path):
    images = [(16, dib(16)), (32, dib(32)), (48, dib(48)), (256, png(256))]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for n, data in images:
        out += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    out += b"".join(d for _, d in images)
    with open(path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    ico(sys.argv[1] if len(sys.argv) > 1 else "motcua.ico")
