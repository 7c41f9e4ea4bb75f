import type { FontkitFont } from 'fontkit';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The CJK faces of the documents: Noto Serif CJK SC (宋体-style, body text) and Noto Sans CJK SC
 * Bold (黑体-style, titles and headings) (SIL Open Font License). pdfkit embeds a subset of the
 * glyphs used (CID-keyed CFF, Identity-H), so a document carries only its own characters.
 *
 * Documents are laid out on small subsets of the two faces committed in fonts/ (4.5 MB: ASCII,
 * punctuation, full-width forms, all of GB 2312 and the app's own wording; made by
 * scripts/subset-cjk-fonts.py). The full faces, in Debian's fonts-noto-cjk .ttc collections (which
 * the Dockerfile and .ci/run install; 46 MB of files held in memory once parsed, and the app's RSS
 * some 100 MB higher with the first document), are loaded only when a text holds a character the
 * subset lacks (a rare name character such as 喆, 堃 or 赟): that text is printed from the full face
 * (see OfficialPdf), which is the same design with the same metrics.
 *
 * Each face is parsed on first use; all are let go after FONTS_IDLE_MS without a document, so that
 * an app that makes a few documents a day does not hold them all day.
 */
export const CJK_FONT_DIRS = ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/google-noto-cjk'];

/** Where the committed subsets are: fonts/ at the repository root, from src/documents or dist/src/documents. */
const SUBSET_DIRS = [resolve(__dirname, '../../fonts'), resolve(__dirname, '../../../fonts')];

export type CjkFace = 'serif' | 'sans';

export interface CjkFaces {
  /** 宋体-style body face. */
  serif: FontkitFont;
  /** 黑体-style title face. */
  sans: FontkitFont;
}

const FACES: Record<CjkFace, { subset: string; file: string; postscriptName: string }> = {
  serif: { subset: 'NotoSerifCJKsc-Regular.subset.otf', file: 'NotoSerifCJK-Regular.ttc', postscriptName: 'NotoSerifCJKsc-Regular' },
  sans: { subset: 'NotoSansCJKsc-Bold.subset.otf', file: 'NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKsc-Bold' },
};

/** The fonts are not installed: documents cannot be made (the controller answers 503). */
export class CjkFontMissingError extends Error {
  constructor(file: string, dirs: Array<string | undefined>, remedy: string) {
    super(`CJK font ${file} not found in ${dirs.filter(Boolean).join(', ')}: ${remedy}`);
    this.name = 'CjkFontMissingError';
  }
}

let subsets: CjkFaces | undefined;
const fullFaces: Partial<Record<CjkFace, FontkitFont>> = {};
let releaseTimer: NodeJS.Timeout | undefined;

/** How long the parsed faces are kept after the last document asked for them. */
export const FONTS_IDLE_MS = 5 * 60_000;

function releaseFaces(): void {
  subsets = undefined;
  for (const face of Object.keys(fullFaces) as CjkFace[]) delete fullFaces[face];
  releaseTimer = undefined;
  for (const key of Object.keys(layoutCaches)) delete layoutCaches[key];
}

function touch(): void {
  if (releaseTimer) releaseTimer.refresh();
  else releaseTimer = setTimeout(releaseFaces, FONTS_IDLE_MS).unref();
}

function locate(file: string, dirs: Array<string | undefined>, remedy: string): string {
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, file))) return join(dir, file);
  }
  throw new CjkFontMissingError(file, dirs, remedy);
}

function open(path: string, postscriptName?: string): FontkitFont {
  const { create } = require('fontkit') as typeof import('fontkit');
  const font = create(readFileSync(path), postscriptName);
  shareEmptySubroutines(font);
  reuseEncodedSubsets(font);
  return font;
}

const SUBSET_REMEDY = "deploy the repository's fonts/ folder beside dist/ (see the Dockerfile)";

/** The subset faces every document is laid out on. */
export function cjkFaces(): CjkFaces {
  touch();
  subsets ??= {
    serif: open(locate(FACES.serif.subset, SUBSET_DIRS, SUBSET_REMEDY)),
    sans: open(locate(FACES.sans.subset, SUBSET_DIRS, SUBSET_REMEDY)),
  };
  return subsets;
}

/** The full system face, for a text with a character the subset lacks; parsed on first use. */
export function fullCjkFace(face: CjkFace): FontkitFont {
  touch();
  const { file, postscriptName } = FACES[face];
  return (fullFaces[face] ??= open(locate(file, [process.env.CJK_FONT_DIR, ...CJK_FONT_DIRS], "install Debian's fonts-noto-cjk"), postscriptName));
}

/** Whether the full faces are in memory (tests: a common document must not load them). */
export function fullCjkFacesLoaded(): CjkFace[] {
  return Object.keys(fullFaces) as CjkFace[];
}

/** Whether `font` has a glyph for every character of `text`. */
export function coversText(font: FontkitFont, text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) continue; // ASCII is in every subset; line breaks and tabs have no glyph
    if (!font.hasGlyphForCodePoint(cp)) return false;
  }
  return true;
}

/** Encoded subsets kept per face (the most recently used; each is the size of one document's font, 20-200 kB). */
const SUBSETS_KEPT = 32;

/**
 * A subset is a pure function of the face and the glyphs it holds, in their order (pdfkit numbers them
 * as the text first uses them): the same glyphs give the same bytes. The 黑体 face of a document prints
 * only its fixed title, headings and table headers, so its subset is the same for every case, and a
 * document downloaded again has the same 宋体 subset as before; both are then copied instead of
 * re-encoded (a CFF subset carries the face's whole subroutine index, some 25,000 entries, which is
 * most of the encoding's time). Different glyphs are encoded as before.
 */
function reuseEncodedSubsets(font: FontkitFont & { createSubset?: () => object }): void {
  const subset = font.createSubset?.();
  const proto = subset && (Object.getPrototypeOf(subset) as { encode?: (this: SubsetInternals) => Uint8Array; reusesEncoded?: boolean });
  if (!proto || typeof proto.encode !== 'function' || proto.reusesEncoded) return;
  const encode = proto.encode;
  const kept = new WeakMap<object, Map<string, Uint8Array>>();
  proto.reusesEncoded = true;
  proto.encode = function (this: SubsetInternals): Uint8Array {
    let byGlyphs = kept.get(this.font);
    if (!byGlyphs) kept.set(this.font, (byGlyphs = new Map()));
    const key = this.glyphs.join(',');
    const hit = byGlyphs.get(key);
    if (hit) {
      byGlyphs.delete(key);
      byGlyphs.set(key, hit);
      return hit;
    }
    const bytes = encode.call(this);
    byGlyphs.set(key, bytes);
    if (byGlyphs.size > SUBSETS_KEPT) byGlyphs.delete(byGlyphs.keys().next().value!);
    return bytes;
  };
}

interface SubsetInternals {
  font: object;
  glyphs: number[];
}

/** A CFF subroutine that only returns (the `return` operator, 11). */
const RETURN_ONLY = new Uint8Array([11]);

interface CffSubsetInternals {
  cff: { stream: { pos: number; readBuffer(length: number): Uint8Array } };
}

/**
 * fontkit keeps every subroutine index whole when it subsets a CFF font (the subroutine numbers
 * in the glyphs must not change) and puts a fresh one-byte "return" in the place of each unused
 * one. Noto CJK's ideograph dictionaries hold about 25,000 local subroutines each, so every
 * document allocated some 100,000 small arrays, and the garbage collector took a third of an
 * agreement's time. The same subset with one shared "return" (fontkit only reads it) is about
 * 30% faster. Nothing else changes: the embedded subset is the same.
 */
function shareEmptySubroutines(font: FontkitFont & { createSubset?: () => object }): void {
  const subset = font.createSubset?.();
  const proto = subset && (Object.getPrototypeOf(subset) as { subsetSubrs?: unknown });
  if (!proto || typeof proto.subsetSubrs !== 'function') return;
  proto.subsetSubrs = function (this: CffSubsetInternals, subrs: Array<{ offset: number; length: number }>, used: Record<number, boolean>): Uint8Array[] {
    const result = new Array<Uint8Array>(subrs.length);
    for (let i = 0; i < subrs.length; i++) {
      if (used[i]) {
        this.cff.stream.pos = subrs[i].offset;
        result[i] = this.cff.stream.readBuffer(subrs[i].length);
      } else result[i] = RETURN_ONLY;
    }
    return result;
  };
}

/** pdfkit's per-font cache of laid-out words (glyphs and positions, already scaled to the font's 1000 units). */
export type LayoutCache = Record<string, unknown>;

/** Words kept per face before the cache starts afresh (a few MB at most; a document uses a few hundred). */
const LAYOUT_CACHE_LIMIT = 20_000;
const layoutCaches: Record<string, LayoutCache> = {};

/**
 * One layout cache per registered font (a subset face or a full one) for the whole process. pdfkit lays out every CJK character as a word of
 * its own through fontkit's OpenType shaping (GSUB/GPOS lookups), and keeps the result only for one
 * document: about half of an agreement's time went into laying out again the same few hundred
 * characters every document has. A laid-out word depends only on the face and the text (pdfkit copies
 * the positions it changes), so documents can share it. Glyph ids differ between a subset and its
 * full face, hence a cache each.
 */
export function sharedLayoutCache(face: string): LayoutCache {
  let cache = layoutCaches[face];
  if (!cache || Object.keys(cache).length > LAYOUT_CACHE_LIMIT) cache = layoutCaches[face] = Object.create(null) as LayoutCache;
  return cache;
}
