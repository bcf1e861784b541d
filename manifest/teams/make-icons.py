# Writes the Teams app icons with the standard library only:
#   color.png   192x192, a white speech bubble with a check mark on the accent colour
#   outline.png  32x32, the same glyph as a white outline on transparency (Teams' rule for outline icons)
# Run from anywhere: python3 manifest/teams/make-icons.py
import os, struct, zlib

ACCENT = (0x2B, 0x5C, 0xD6)  # keep in step with accentColor in manifest.json
HERE = os.path.dirname(os.path.abspath(__file__))

def rounded_rect(x, y, x0, y0, x1, y1, r):
    cx, cy = min(max(x, x0 + r), x1 - r), min(max(y, y0 + r), y1 - r)
    return x0 <= x <= x1 and y0 <= y <= y1 and (x - cx) ** 2 + (y - cy) ** 2 <= r * r

def triangle(x, y, a, b, c):
    def side(p, q): return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])
    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))

def near_segment(x, y, a, b, w):
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)))
    px, py = a[0] + t * dx, a[1] + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= w * w

BODY = (0.16, 0.18, 0.84, 0.68, 0.13)
TAIL = ((0.28, 0.62), (0.46, 0.62), (0.24, 0.84))
CHECK = ((0.35, 0.44), (0.46, 0.54), (0.66, 0.33))

def bubble(x, y, inset=0.0):
    x0, y0, x1, y1, r = BODY
    return rounded_rect(x, y, x0 + inset, y0 + inset, x1 - inset, y1 - inset, max(r - inset, 0.01)) or (inset == 0 and triangle(x, y, *TAIL))

def check(x, y, w):
    return near_segment(x, y, CHECK[0], CHECK[1], w) or near_segment(x, y, CHECK[1], CHECK[2], w)

def render(size, pixel):
    n = 4  # 4x4 samples per pixel for smooth edges
    rows = []
    for j in range(size):
        row = bytearray(b'\x00')
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(n):
                for si in range(n):
                    rgba = pixel((i + (si + 0.5) / n) / size, (j + (sj + 0.5) / n) / size)
                    for k in range(4):
                        acc[k] += rgba[k] * rgba[3] if k < 3 else rgba[3]
            a = acc[3]
            row += bytes([round(acc[k] / a) if a else 0 for k in range(3)] + [round(a / (n * n))])
        rows.append(bytes(row))
    return b''.join(rows)

def color_pixel(x, y):
    if bubble(x, y):
        return ACCENT + (255,) if check(x, y, 0.045) else (255, 255, 255, 255)
    return ACCENT + (255,)

def outline_pixel(x, y):
    stroke = 2.0 / 32
    ring = bubble(x, y) and not bubble(x, y, stroke)
    return (255, 255, 255, 255) if ring or check(x, y, 0.05) else (255, 255, 255, 0)

def write_png(path, size, pixel):
    def chunk(kind, data): return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    header = struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(render(size, pixel), 9)) + chunk(b'IEND', b''))

write_png(os.path.join(HERE, 'color.png'), 192, color_pixel)
write_png(os.path.join(HERE, 'outline.png'), 32, outline_pixel)
