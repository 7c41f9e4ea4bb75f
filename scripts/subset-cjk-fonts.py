#!/usr/bin/python3
"""Makes the small CJK faces of the PDF documents (fonts/NotoSerifCJKsc-Regular.subset.otf and
fonts/NotoSansCJKsc-Bold.subset.otf) from Debian's fonts-noto-cjk collections.

For maintainers, not run at install: the subsets are committed (SIL Open Font License, fonts/OFL.txt).
Run it again after changing the character set or updating fonts-noto-cjk:

    apt-get install -y fonts-noto-cjk python3-fonttools
    /usr/bin/python3 scripts/subset-cjk-fonts.py

Why: parsing the full .ttc collections (46 MB of files held in memory) cost the app some 100 MB of
RSS with the first document. The subsets hold what documents print day to day: ASCII and Latin-1,
general and CJK punctuation, full-width forms, all of GB 2312 (its 6,763 hanzi and its symbol rows)
and every non-ASCII character written in src/ (the documents' fixed text and labels). A character
outside them (a rare name character such as 喆, 堃 or 赟) is printed from the full system face, which
the app then loads for that text only (src/documents/cjk-fonts.ts).
"""
import os
import re
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
FONT_DIR = os.environ.get('CJK_FONT_DIR', '/usr/share/fonts/opentype/noto')
OUT_DIR = os.path.join(ROOT, 'fonts')

# (collection, PostScript name of the Simplified Chinese face in it, output file)
FACES = [
    ('NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular', 'NotoSerifCJKsc-Regular.subset.otf'),
    ('NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold', 'NotoSansCJKsc-Bold.subset.otf'),
]


def gb2312() -> set:
    """Every character of GB 2312: symbol rows 1-9 and hanzi rows 16-87 (levels 1 and 2)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.update(bytes([hi, lo]).decode('gb2312'))
            except UnicodeDecodeError:
                pass
    return chars


def source_characters() -> set:
    """The non-ASCII characters of the app's own text (src/**/*.ts): labels, document wording."""
    chars = set()
    for dirpath, _, files in os.walk(os.path.join(ROOT, 'src')):
        for name in files:
            if name.endswith('.ts'):
                with open(os.path.join(dirpath, name), encoding='utf-8') as f:
                    chars.update(c for c in f.read() if ord(c) > 0x7F)
    return chars


def characters() -> set:
    chars = set(chr(c) for c in range(0x20, 0x7F))
    ranges = [
        (0x00A0, 0x00FF),  # Latin-1 supplement (×, ·, °, ¥)
        (0x2000, 0x206F),  # general punctuation (—, ‘’, “”, …)
        (0x2460, 0x2473),  # ①-⑳
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0xFF01, 0xFF5E),  # full-width ASCII forms
        (0xFFE0, 0xFFE6),  # full-width signs (￥)
    ]
    for lo, hi in ranges:
        chars.update(chr(c) for c in range(lo, hi + 1))
    chars |= gb2312()
    chars |= source_characters()
    # Controls and surrogates have no glyph to keep; emoji in comments are not document text.
    return {c for c in chars if c.isprintable() or c == '\u3000'}


def face_number(path: str, postscript_name: str) -> int:
    collection = TTCollection(path, lazy=True)
    for i, font in enumerate(collection.fonts):
        if font['name'].getDebugName(6) == postscript_name:
            return i
    sys.exit(f'{postscript_name} not found in {path}')


def main() -> None:
    chars = characters()
    text = ''.join(sorted(chars))
    os.makedirs(OUT_DIR, exist_ok=True)
    for collection, postscript_name, out in FACES:
        path = os.path.join(FONT_DIR, collection)
        options = subset.Options()
        options.font_number = face_number(path, postscript_name)
        # The layout features fontkit applies to horizontal text (its COMMON, FRACTIONAL and
        # HORIZONTAL features): the subset lays out as the full face does, so text printed from
        # either has the same glyphs and metrics. Not 'locl': the face's Japanese, Korean and
        # Traditional forms, which fontkit picks only for a language that pdfkit never passes
        # (5,500 more glyphs); not '*' either (vertical and other alternates).
        options.layout_features = ['rvrn', 'ccmp', 'rlig', 'mark', 'mkmk', 'frac', 'numr', 'dnom', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern', 'ltra', 'ltrm']
        options.name_IDs = ['*']
        options.name_languages = ['*']
        options.notdef_outline = True
        font = subset.load_font(path, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        subset.save_font(font, os.path.join(OUT_DIR, out), options)
        print(f'{out}: {len(chars)} characters, {len(font.getGlyphOrder())} glyphs, {os.path.getsize(os.path.join(OUT_DIR, out)):,} bytes')


if __name__ == '__main__':
    main()
