#!/usr/bin/env python3
"""Label images for testing the photo reader: a back label as printed
(product name, directions, the ingredient list, warnings, address, batch
code) in 2-4 columns at 7-9 pt, rendered with ImageMagick and the DejaVu
and Liberation fonts, then photographed badly on purpose: rotated,
perspective, blurred, noisy, unevenly lit, wrapped round a bottle.

    labels.py render --out DIR [--lists FILE] [--levels L,...] [--seed N]

renders each list of FILE (TSV: id, language, ingredient list; default
tests/photo/lists.tsv, written by the project) at each level into DIR,
with DIR/manifest.tsv: image, id, level, columns, pt, font, truth (the
list as printed, after its header). The labels and photos are random but
reproducible from --seed and the list id.

Levels (names as in the README's table):
    clean        the label as printed, straight, sharp (PNG)
    rotate       rotated 3-7 degrees either way
    perspective  taken at an angle: corners moved by up to 6 %
    blur         out of focus: gaussian blur, sigma 1.2 px at 300 dpi
    noise        sensor noise (a dim shot)
    light        uneven light: a gradient down to 45 % brightness
    curve        on a bottle: a cylinder seen from 3/4 of its radius away
    moderate     rotate 2-7 degrees, perspective 3 %, blur 0.7, some noise,
                 light down to 65 %, JPEG quality 85
    hard         all of the above at full strength, and the bottle
"""
import argparse
import math
import os
import random
import re
import subprocess
import sys
import zlib

DPI = 300
FONTS = [  # (regular, bold): label faces as printed
    ("DejaVu-Sans", "DejaVu-Sans-Bold"),
    ("DejaVu-Sans-Condensed", "DejaVu-Sans-Condensed-Bold"),
    ("Liberation-Sans", "Liberation-Sans-Bold"),
    ("Liberation-Sans-Narrow", "Liberation-Sans-Narrow-Bold"),
    ("Liberation-Serif", "Liberation-Serif-Bold"),
]
LEVELS = ["clean", "rotate", "perspective", "blur", "noise", "light",
          "curve", "moderate", "hard"]

# The text around the list, by language: what a back label says besides
# its ingredients (written for these tests).
AROUND = {
    "en": {
        "header": "INGREDIENTS:",
        "directions": [
            "Directions: Apply morning and evening to clean, dry skin of "
            "the face and neck. Massage gently until absorbed.",
            "How to use: Smooth a pea-sized amount over the face after "
            "cleansing, avoiding the eye area. Use daily for best results.",
        ],
        "warnings": [
            "Warning: For external use only. Avoid contact with eyes. If "
            "irritation occurs, discontinue use. Keep out of reach of "
            "children.",
            "Caution: Do not use on broken or irritated skin. Stop using "
            "and ask a doctor if rash occurs. Store below 25 C.",
        ],
        "made": ["Made in France.", "Made in the UK.", "Made in Italy."],
        "address": [
            "Lumen Skin Ltd, 4 Harbour Row, Bristol BS1 4RN, United Kingdom",
            "Distributed by Calder Labs Inc., 210 Elm Street, Portland, "
            "OR 97204, USA",
        ],
    },
    "fr": {
        "header": "INGREDIENTS / INGR\u00c9DIENTS :",
        "directions": [
            "Mode d'emploi : appliquer matin et soir sur une peau propre "
            "et s\u00e8che. Masser d\u00e9licatement jusqu'\u00e0 "
            "p\u00e9n\u00e9tration.",
        ],
        "warnings": [
            "Pr\u00e9cautions d'emploi : usage externe uniquement. "
            "\u00c9viter le contact avec les yeux. Tenir hors de "
            "port\u00e9e des enfants.",
        ],
        "made": ["Fabriqu\u00e9 en France."],
        "address": ["Laboratoires Aubel SAS, 12 rue des Tanneurs, "
                    "69002 Lyon, France"],
    },
    "de": {
        "header": "INHALTSSTOFFE / INGREDIENTS:",
        "directions": [
            "Anwendung: Morgens und abends auf die gereinigte Haut von "
            "Gesicht und Hals auftragen und sanft einmassieren.",
        ],
        "warnings": [
            "Warnhinweise: Nur zur \u00e4u\u00dferlichen Anwendung. "
            "Kontakt mit den Augen vermeiden. F\u00fcr Kinder "
            "unzug\u00e4nglich aufbewahren.",
        ],
        "made": ["Hergestellt in Deutschland."],
        "address": ["Hautwerk GmbH, Lindenstra\u00dfe 8, 20095 Hamburg"],
    },
}
NAMES = ["Renewal Night Serum", "Hydra Calm Cream", "Daily Glow Toner",
         "Barrier Repair Balm", "Clear Skin Gel", "Soft Focus Fluid"]


def run(args, **kw):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False, **kw)
    if p.returncode != 0:
        raise SystemExit("labels: %s failed: %s" %
                         (args[0], p.stderr.decode(errors="replace")[:400]))
    return p.stdout.decode(errors="replace")


# ------------------------------------------------------------- layout

def measure(font, pt, words):
    """Advance widths in pixels at DPI of each word, from ImageMagick's
    own metrics (one process for all)."""
    uniq = sorted(set(words) | {"xx", "x x"})
    args = ["convert", "-density", str(DPI), "-pointsize", str(pt),
            "-font", font, "-debug", "annotate", "xc:"]
    for w in uniq:
        # as drawn: -annotate reads "\\" as one backslash, "%%" as "%"
        args += ["-annotate", "0",
                 w.replace("\\", "\\\\").replace("%", "%%")]
    args.append("null:")
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    widths = [float(m.group(1)) for m in
              re.finditer(r"Metrics: text: .*?; width: ([\d.]+);",
                          p.stderr.decode(errors="replace"))]
    if len(widths) != len(uniq):
        raise SystemExit("labels: could not measure the text with %s" % font)
    w = dict(zip(uniq, widths))
    w[" "] = w["x x"] - w["xx"]
    return w


def wrap(paragraphs, width, widths):
    """Greedy wrapping. paragraphs: lists of (word, bold). Returns lines of
    [(x, word, bold)], with None for the blank line between paragraphs."""
    lines = []
    for para in paragraphs:
        line, x = [], 0
        for word, bold in para:
            w = widths[bold][word]
            if line and x + widths[bold][" "] + w > width:
                lines.append(line)
                line, x = [], 0
            if line:
                x += widths[bold][" "]
            line.append((x, word, bold))
            x += w
        if line:
            lines.append(line)
        lines.append(None)
    while lines and lines[-1] is None:
        lines.pop()
    return lines


def mvg_text(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label(rng, lang, listed, name):
    """The label's paragraphs: lists of (word, bold)."""
    t = AROUND[lang]
    return [
        [(w, True) for w in name.upper().split()],
        [(w, False) for w in rng.choice(t["directions"]).split()],
        [(w, True) for w in t["header"].split()] +
        [(w, False) for w in listed.split()],
        [(w, False) for w in rng.choice(t["warnings"]).split()],
        [(w, False) for w in (rng.choice(t["made"]) + " " +
                              rng.choice(t["address"])).split()],
        [(w, False) for w in ("LOT %d%s%03d EXP %02d/20%d 50 ml" % (
            rng.randint(1, 9), rng.choice("ABCDK"), rng.randint(0, 999),
            rng.randint(1, 12), rng.randint(26, 29))).split()],
    ]


def render_label(rng, lang, listed, path):
    """Renders the flat label to path; returns its layout. The number of
    columns (2-4) gives the label a photo's shape (height 55-80 % of
    the width)."""
    fonts = rng.choice(FONTS)
    pt = rng.choice([7, 7.5, 8, 8.5, 9])
    paras = label(rng, lang, listed, rng.choice(NAMES))
    words = [w for p in paras for w, b in p]
    widths = {False: measure(fonts[0], pt, words),
              True: measure(fonts[1], pt, words)}
    col_w = rng.randint(400, 560)
    gap, margin = 40, 50
    lines = wrap(paras, col_w, widths)
    line_h = round(pt / 72 * DPI * 1.25)
    aspect = rng.uniform(0.55, 0.8)

    def shape(columns):
        per_col = math.ceil(len(lines) / columns)
        return (per_col, 2 * margin + columns * col_w + (columns - 1) * gap,
                2 * margin + per_col * line_h)
    columns = min((2, 3, 4), key=lambda c: abs(shape(c)[2] / shape(c)[1] -
                                               aspect))
    per_col, width, height = shape(columns)
    draw = ["fill black"]
    font = None
    for i, line in enumerate(lines):
        if line is None:
            continue
        col, row = divmod(i, per_col)
        x0 = margin + col * (col_w + gap)
        y = margin + (row + 1) * line_h - round(line_h * 0.3)
        for x, word, bold in line:
            if font != fonts[bold]:
                font = fonts[bold]
                draw.append("font '%s'" % font)
            draw.append("text %.1f,%d %s" % (x0 + x, y, mvg_text(word)))
    run(["convert", "-size", "%dx%d" % (width, height), "-density", str(DPI),
         "xc:#fbfaf6", "-pointsize", str(pt), "-draw", "\n".join(draw),
         "-colorspace", "Gray", path])
    return {"columns": columns, "pt": pt, "font": fonts[0],
            "width": width, "height": height}


# -------------------------------------------------------- distortions

def perspective(w, h, amount, rng):
    pts = [(0, 0), (w, 0), (w, h), (0, h)]
    out = []
    for x, y in pts:
        out.append("%d,%d %d,%d" % (x, y,
                                    x + rng.uniform(-amount, amount) * w,
                                    y + rng.uniform(-amount, amount) * h))
    return ["-virtual-pixel", "background", "+distort", "Perspective",
            " ".join(out)]


def cylinder(w, h, depth):
    """A label on a bottle: the surface at arc length s from the middle
    shows at R sin(s/R) (foreshortened to the sides), and seen from a
    little above, lines bend down at the edges. A cubic polynomial fitted
    to a grid of the exact mapping."""
    r = w / 2 / math.sin(depth)  # the half label spans `depth` radians
    sag = 0.04 * h
    pts = []
    for i in range(7):
        for j in range(5):
            s = (i / 6 - 0.5) * w          # arc length from the middle
            y = j / 4 * h
            a = s / r
            pts.append("%.1f,%.1f %.1f,%.1f" % (
                w / 2 + s, y, w / 2 + r * math.sin(a),
                y + sag * (1 - math.cos(a)) / (1 - math.cos(depth))))
    return ["-virtual-pixel", "background", "-distort", "Polynomial",
            "3 " + " ".join(pts)]


def light(w, h, low, rng):
    """Multiplies by a linear gradient from 100 % to low, at a random
    angle (a lamp to one side)."""
    angle = rng.uniform(0, 360)
    lo = int(low * 255)
    return ["(", "-size", "%dx%d" % (w, h), "-define",
            "gradient:angle=%.0f" % angle,
            "gradient:white-rgb(%d,%d,%d)" % (lo, lo, lo), ")",
            "-compose", "Multiply", "-composite"]


def photo_args(level, rng, w, h):
    """ImageMagick operators turning the flat label (on its background)
    into a photo of the given level, and the output's extension."""
    angle = rng.choice([-1, 1]) * rng.uniform(3, 7)
    if level == "clean":
        return [], "png"
    if level == "rotate":
        return ["-rotate", "%.2f" % angle], "png"
    if level == "perspective":
        return perspective(w, h, 0.06, rng), "png"
    if level == "blur":
        return ["-gaussian-blur", "0x1.2"], "png"
    if level == "noise":
        return ["-attenuate", "0.8", "+noise", "Gaussian"], "jpg"
    if level == "light":
        return light(w, h, 0.45, rng), "jpg"
    if level == "curve":
        return cylinder(w, h, 0.85), "png"
    if level == "moderate":
        a = rng.choice([-1, 1]) * rng.uniform(2, 7)
        return (light(w, h, 0.65, rng) + ["-rotate", "%.2f" % a] +
                perspective(w, h, 0.03, rng) +
                ["-gaussian-blur", "0x0.7", "-attenuate", "0.4",
                 "+noise", "Gaussian", "-quality", "85"]), \
            rng.choice(["jpg", "jpg", "webp", "tiff"])
    if level == "hard":
        return (light(w, h, 0.45, rng) + cylinder(w, h, 0.85) +
                ["-rotate", "%.2f" % angle] + perspective(w, h, 0.06, rng) +
                ["-gaussian-blur", "0x1.2", "-attenuate", "0.8",
                 "+noise", "Gaussian", "-quality", "80"]), "jpg"
    raise SystemExit("labels: unknown level %s" % level)


def photograph(flat, layout, level, rng, out_base):
    """The flat label on a bottle-coloured surround, then the level's
    distortions. Returns the file written."""
    margin = 60
    w, h = layout["width"] + 2 * margin, layout["height"] + 2 * margin
    ops, ext = photo_args(level, rng, w, h)
    if "+noise" in ops:
        # ImageMagick's noise is drawn from its own generator: seeded
        # by the photo's name, the same run gives the same photo
        ops = ["-seed", str(zlib.crc32(os.path.basename(out_base).encode()))] + ops
    out = "%s.%s" % (out_base, ext)
    args = ["convert", flat, "-bordercolor", "#d8d2c4", "-border",
            str(margin), "-background", "#d8d2c4"] + ops
    if ext == "jpg" and "-quality" not in ops:
        args += ["-quality", "90"]
    run(args + ["+repage", "-colorspace", "Gray", "-depth", "8", out])
    return out


# ---------------------------------------------------------------- main

def read_lists(path):
    lists = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            ident, lang, text = line.rstrip("\n").split("\t")
            lists.append((ident, lang, text))
    return lists


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["render"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--lists", default=os.path.join(
        os.path.dirname(__file__), "lists.tsv"))
    ap.add_argument("--levels", default=",".join(LEVELS))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    manifest = []
    for ident, lang, text in read_lists(a.lists):
        rng = random.Random("%d:%s" % (a.seed, ident))
        flat = os.path.join(a.out, "%s.flat.png" % ident)
        listed = text.strip()
        if not listed.endswith("."):
            listed += "."
        layout = render_label(rng, lang, listed, flat)
        for level in a.levels.split(","):
            lrng = random.Random("%d:%s:%s" % (a.seed, ident, level))
            img = photograph(flat, layout, level, lrng,
                             os.path.join(a.out, "%s.%s" % (ident, level)))
            manifest.append((os.path.basename(img), ident, level,
                             str(layout["columns"]), str(layout["pt"]),
                             layout["font"], listed))
        os.remove(flat)
        print("labels: %s" % ident, file=sys.stderr)
    with open(os.path.join(a.out, "manifest.tsv"), "w",
              encoding="utf-8") as f:
        f.write("image\tid\tlevel\tcolumns\tpt\tfont\ttruth\n")
        for row in manifest:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
