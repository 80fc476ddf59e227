#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Draws a login message as a terminal shows it and scans it as a phone would.

The text (exactly what the PAM conversation received, or what the ssh client
printed) is drawn twice, as a terminal with a dark theme (light text on black)
and as one with a light theme (dark text on white) would draw it: a cell is
8x16 pixels, half and full blocks fill their part of the cell as terminals draw
them, other characters are drawn with a font, and the SGR color sequences the
QR renderer may emit are interpreted (the 16 colors, default, reset). Each
image gets a margin of the theme's background, like a terminal window's padding.

A "#" fills its cell. The modes that draw with "##" are checked for which way
round the code is on each theme, not for how much ink a font puts into "#": with
DejaVu Sans Mono's real glyph (about a third of the cell) zbarimg reads no
"##" code at all, not even the old ascii mode's on a light theme. Whether a
phone reads one depends on the font and the distance, for every "##" mode alike.

Each image goes to zbarimg with QR codes only and *without* its inverted-code
pass (test-inverted=0, the zbar 0.23 default, set explicitly): many phone
scanners read only dark modules on a light background, and so does this test.

Usage: scan_qr.py MESSAGE_FILE --expect URL [--theme dark|light|both]
                  [--save DIR]
Prints one line per theme; exits 0 when every theme decodes to exactly URL,
1 when one does not, 2 on a usage error or an escape sequence it does not know.
"""

import argparse
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw, ImageFont

CELL_W, CELL_H = 8, 16
MARGIN = 16  # pixels of the theme's background around the screen

# GNOME Terminal's (Tango) palette: the colors 30-37/40-47 and 90-97/100-107.
PALETTE = [
    (0x2E, 0x34, 0x36), (0xCC, 0x00, 0x00), (0x4E, 0x9A, 0x06), (0xC4, 0xA0, 0x00),
    (0x34, 0x65, 0xA4), (0x75, 0x50, 0x7B), (0x06, 0x98, 0x9A), (0xD3, 0xD7, 0xCF),
    (0x55, 0x57, 0x53), (0xEF, 0x29, 0x29), (0x8A, 0xE2, 0x34), (0xFC, 0xE9, 0x4F),
    (0x72, 0x9F, 0xCF), (0xAD, 0x7F, 0xA8), (0x34, 0xE2, 0xE2), (0xEE, 0xEE, 0xEC),
]
THEMES = {
    # (default foreground, default background)
    "dark": ((0xD0, 0xD0, 0xD0), (0x1E, 0x1E, 0x1E)),
    "light": ((0x20, 0x20, 0x20), (0xFA, 0xFA, 0xFA)),
}

UPPER_HALF, LOWER_HALF, FULL_BLOCK = "\u2580", "\u2584", "\u2588"


class UnknownEscape(Exception):
    pass


def load_font():
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",):
        if os.path.exists(path):
            return ImageFont.truetype(path, 13)
    return ImageFont.load_default()


def apply_sgr(params, state, theme):
    """Updates state ("fg", "bg": an RGB tuple) for one SGR sequence."""
    fg_default, bg_default = THEMES[theme]
    codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    for code in codes:
        if code == 0:
            state["fg"], state["bg"] = fg_default, bg_default
        elif 30 <= code <= 37:
            state["fg"] = PALETTE[code - 30]
        elif 90 <= code <= 97:
            state["fg"] = PALETTE[code - 90 + 8]
        elif 40 <= code <= 47:
            state["bg"] = PALETTE[code - 40]
        elif 100 <= code <= 107:
            state["bg"] = PALETTE[code - 100 + 8]
        elif code == 39:
            state["fg"] = fg_default
        elif code == 49:
            state["bg"] = bg_default
        else:
            raise UnknownEscape(f"SGR parameter {code}")


def cells(text, theme):
    """The screen as rows of (character, fg, bg) cells."""
    fg_default, bg_default = THEMES[theme]
    state = {"fg": fg_default, "bg": bg_default}
    rows = []
    for line in text.split("\n"):
        row = []
        i = 0
        while i < len(line):
            ch = line[i]
            if ch == "\x1b":
                end = i + 2
                if line[i + 1:i + 2] != "[":
                    raise UnknownEscape(repr(line[i:i + 8]))
                while end < len(line) and (line[end].isdigit() or line[end] == ";"):
                    end += 1
                if end >= len(line) or line[end] != "m":
                    raise UnknownEscape(repr(line[i:end + 1]))
                apply_sgr(line[i + 2:end], state, theme)
                i = end + 1
                continue
            if ord(ch) < 0x20 or ord(ch) == 0x7F or 0x80 <= ord(ch) <= 0x9F:
                raise UnknownEscape(f"control character {ord(ch):#x}")
            row.append((ch, state["fg"], state["bg"]))
            i += 1
        rows.append(row)
    return rows


def draw(text, theme, font):
    rows = cells(text, theme)
    width = max((len(r) for r in rows), default=0)
    background = THEMES[theme][1]
    image = Image.new("RGB", (2 * MARGIN + width * CELL_W, 2 * MARGIN + len(rows) * CELL_H), background)
    pen = ImageDraw.Draw(image)
    for y, row in enumerate(rows):
        for x, (ch, fg, bg) in enumerate(row):
            left, top = MARGIN + x * CELL_W, MARGIN + y * CELL_H
            right, bottom, middle = left + CELL_W - 1, top + CELL_H - 1, top + CELL_H // 2
            pen.rectangle((left, top, right, bottom), fill=bg)
            if ch in (FULL_BLOCK, "#"):
                pen.rectangle((left, top, right, bottom), fill=fg)
            elif ch == UPPER_HALF:
                pen.rectangle((left, top, right, middle - 1), fill=fg)
            elif ch == LOWER_HALF:
                pen.rectangle((left, middle, right, bottom), fill=fg)
            elif ch != " ":
                pen.text((left, top + 1), ch, fill=fg, font=font)
    return image


def scan(image):
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "screen.png")
        image.save(path)
        # No inverted-code pass: -Stest-inverted=0 (zbar's default, made explicit).
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "--nodbus", "-Sdisable", "-Sqrcode.enable", "-Stest-inverted=0", path],
            capture_output=True, text=True, check=False)
        return [line for line in result.stdout.split("\n") if line]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("message")
    parser.add_argument("--expect", required=True)
    parser.add_argument("--theme", choices=("dark", "light", "both"), default="both")
    parser.add_argument("--save", help="also write the images to this directory")
    args = parser.parse_args()
    with open(args.message, encoding="utf-8") as f:
        text = f.read()
    font = load_font()
    themes = ("dark", "light") if args.theme == "both" else (args.theme,)
    ok = True
    for theme in themes:
        try:
            image = draw(text, theme, font)
        except UnknownEscape as error:
            print(f"{theme}: cannot draw, unknown escape: {error}")
            return 2
        if args.save:
            base = os.path.splitext(os.path.basename(args.message))[0]
            image.save(os.path.join(args.save, f"{base}-{theme}.png"))
        decoded = scan(image)
        good = bool(decoded) and all(d == args.expect for d in decoded)
        ok = ok and good
        print(f"{theme}: {'decodes' if good else 'FAILS'}" + (f" ({len(decoded)} x {decoded[0]!r})" if decoded else
                                                               " (no QR code found)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
