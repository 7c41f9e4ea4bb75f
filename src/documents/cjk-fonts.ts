import type { FontkitFont } from 'fontkit';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadMallocTrim, MallocTrim } from '../process-memory/malloc-trim';
import { setNewest } from '../common/bounded-map';

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
 * the memory of a burst of documents does not stay under the work that comes after it.
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

/**
 * How long the parsed faces and the layout caches are kept after the last document. Documents come
 * in bursts (a case's documents, a batch of agreements), and what a burst leaves (some 12 MB of heap
 * and Buffers after 23 agreements, RSS 20 MB with the malloc memory given back) stayed under the
 * steps after it: in the bench the 20 MB attachment and the .xlsx exports came on top of it, and made
 * the app's peak. A document after a pause pays for the faces again: 60-120 ms instead of 20-40
 * (bench/results/2026-11-29-documents-memory.md).
 */
export const FONTS_IDLE_MS = 1000;

/** Lets the faces and the layout caches go now (V8 frees them at its next full collection) and trims malloc (the idle timer's work). */
export function releaseFaces(): void {
  if (releaseTimer) clearTimeout(releaseTimer);
  releaseTimer = undefined;
  subsets = undefined;
  for (const face of Object.keys(fullFaces) as CjkFace[]) delete fullFaces[face];
  for (const key of Object.keys(layoutCaches)) delete layoutCaches[key];
  giveBack();
}

/** Loaded by touch(), with the first face: faces never parsed leave nothing to give back. */
let mallocTrim: MallocTrim | null | undefined;

/**
 * glibc's malloc_trim: what the documents' compiling and encoding freed through malloc goes back to
 * the system now (the trim service trims only after the RSS grew by 8 MB). The faces' heap and
 * Buffers go at V8's next full collection, which the steps after the documents bring on soon enough:
 * forcing one here (`gc()`, 40-260 ms of the main thread with the app's heap) did not lower the
 * bench's peak (bench/results/2026-11-29-documents-memory.md).
 */
function giveBack(): void {
  mallocTrim?.(0);
}

function touch(): void {
  if (releaseTimer) return void releaseTimer.refresh();
  // Loaded with the faces, not when the timer fires: by then the module loader may be gone (a test
  // file's environment torn down, an app shutting down).
  if (mallocTrim === undefined) mallocTrim = loadMallocTrim();
  releaseTimer = setTimeout(releaseFaces, FONTS_IDLE_MS).unref();
}

/** A document has just been finished: the idle time counts from now (nothing to do when the faces were let go meanwhile). */
export function documentFinished(): void {
  releaseTimer?.refresh();
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
  findCalledSubrsWithoutOutlines(font);
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
      setNewest(byGlyphs, key, hit, SUBSETS_KEPT);
      return hit;
    }
    const bytes = encode.call(this);
    setNewest(byGlyphs, key, bytes, SUBSETS_KEPT);
    return bytes;
  };
}

interface SubsetInternals {
  font: object;
  glyphs: number[];
}

/** A CFF INDEX entry: where a charstring or subroutine is in the font's bytes. */
interface CffIndexEntry {
  offset: number;
  length: number;
}

/** The parts of fontkit's CFF table that a charstring's subroutine calls are read from. */
interface CffTable {
  version: number;
  stream: { buffer: Uint8Array };
  topDict: { CharStrings: CffIndexEntry[] };
  globalSubrIndex?: CffIndexEntry[];
  privateDictForGlyph(gid: number): { Subrs?: CffIndexEntry[] } | null;
}

/** The subroutines a glyph's charstring calls, by their index in the font dict's (local) and the global index; a number may come twice. */
export interface CalledSubrs {
  local: number[];
  global: number[];
}

/** The bias a Type 2 charstring adds to a subroutine number, by the size of the index (fontkit's CFFGlyph.bias). */
const subrBias = (subrs: readonly unknown[]) => (subrs.length < 1240 ? 107 : subrs.length < 33900 ? 1131 : 32768);

/**
 * The subroutines glyph `gid`'s charstring calls, read as fontkit's outline parser (CFFGlyph._getPath)
 * reads them but without building the outline: the operand stack, the stem count (a hint mask's
 * length) and the calls, every other operator only clearing the stack. Null for a charstring with an
 * operator this reading leaves to fontkit (arithmetic, CFF2's blend; Noto CJK has none).
 */
export function calledSubrs(cff: CffTable, gid: number): CalledSubrs | null {
  if (cff.version >= 2) return null;
  const bytes = cff.stream.buffer;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const global = cff.globalSubrIndex ?? [];
  const local = cff.privateDictForGlyph(gid)?.Subrs ?? [];
  const globalBias = subrBias(global);
  const localBias = subrBias(local);
  const called: CalledSubrs = { local: [], global: [] };
  // The operand stack: its first `depth` entries (clearing it is setting depth to 0).
  const stack: number[] = [];
  let depth = 0;
  let stems = 0;
  const call = (subrs: CffIndexEntry[], index: number, called: number[]): boolean => {
    const subr = subrs[index];
    if (!subr) return true;
    called.push(index);
    return run(subr.offset, subr.offset + subr.length);
  };
  const run = (start: number, end: number): boolean => {
    let pos = start;
    while (pos < end) {
      const op = bytes[pos++];
      if (op >= 32) {
        if (op < 247) stack[depth++] = op - 139;
        else if (op < 251) stack[depth++] = (op - 247) * 256 + bytes[pos++] + 108;
        else if (op < 255) stack[depth++] = -(op - 251) * 256 - bytes[pos++] - 108;
        else {
          stack[depth++] = view.getInt32(pos) / 65536;
          pos += 4;
        }
        continue;
      }
      switch (op) {
        case 28: // a 16-bit number
          stack[depth++] = view.getInt16(pos);
          pos += 2;
          break;
        case 1: // hstem, vstem, hstemhm, vstemhm
        case 3:
        case 18:
        case 23:
          stems += depth >> 1;
          depth = 0;
          break;
        case 19: // hintmask, cntrmask: the stems before it, then a mask of one bit per stem
        case 20:
          stems += depth >> 1;
          depth = 0;
          pos += (stems + 7) >> 3;
          break;
        case 10: // callsubr, callgsubr: the number on the stack (none: no call, as in fontkit)
          if (depth > 0 && !call(local, stack[--depth] + localBias, called.local)) return false;
          break;
        case 29:
          if (depth > 0 && !call(global, stack[--depth] + globalBias, called.global)) return false;
          break;
        case 11: // return
          return true;
        case 12: {
          const escaped = bytes[pos++];
          if (escaped < 34 || escaped > 37) return false; // arithmetic and storage operators
          depth = 0; // flex
          break;
        }
        case 4: // the outline's operators, and endchar (after which fontkit reads on to the end)
        case 5:
        case 6:
        case 7:
        case 8:
        case 14:
        case 21:
        case 22:
        case 24:
        case 25:
        case 26:
        case 27:
        case 30:
        case 31:
          depth = 0;
          break;
        default:
          return false;
      }
    }
    return true;
  };
  const charString = cff.topDict.CharStrings[gid];
  return run(charString.offset, charString.offset + charString.length) ? called : null;
}

/** fontkit's CFF subsetter, as the methods below use it. */
interface CffSubset {
  cff: CffTable & {
    topDict: { FDArray?: Array<{ Private?: { Subrs?: CffIndexEntry[] } | null }> };
    getCharString(gid: number): Uint8Array;
    fdForGlyph(gid: number): number | null;
  };
  glyphs: number[];
  charstrings: Uint8Array[];
  gsubrs: Uint8Array[];
  subsetSubrs(subrs: CffIndexEntry[] | undefined, used: Record<number, boolean>): Uint8Array[];
  /** Each glyph's calls, found by subsetCharstrings for the font dicts after (none: fontkit's own methods). */
  calls?: Map<number, CalledSubrs>;
}

/** The subset's top dict, as subsetFontdict fills it. */
interface CffTopDict {
  FDArray: Array<{ FontName?: unknown; Private?: { Subrs?: CffIndexEntry[] } | null }>;
  FDSelect: { version: number; fds: number[] };
}

/**
 * fontkit's CFF subsetter learns which subroutines a glyph calls by parsing its outline (`glyph.path`),
 * which fontkit then keeps on the glyph for the life of the face, with the calls as sparse objects:
 * about 8 kB per distinct glyph ever printed (2 MB after two dozen agreements, more with every new
 * character). The parser is also one large function that V8's optimizing compiler takes some 20 MB
 * and half a second of a core to compile, during the first documents (the documents step's peak
 * memory). The two methods that read the outlines of a CID-keyed font (as Noto CJK is) are replaced
 * by the same steps on calledSubrs' findings, kept only for the subset being encoded; fontkit's own
 * run where calledSubrs declines a glyph (and for a font that is not CID-keyed, which reads them in
 * createCIDFontdict).
 */
function findCalledSubrsWithoutOutlines(font: FontkitFont & { createSubset?: () => object }): void {
  const subset = font.createSubset?.();
  const proto = subset && (Object.getPrototypeOf(subset) as Record<string, unknown> & { readsNoOutlines?: boolean });
  if (!proto || proto.readsNoOutlines || typeof proto.subsetCharstrings !== 'function') return;
  proto.readsNoOutlines = true;
  const fontkits = {
    subsetCharstrings: proto.subsetCharstrings as (this: CffSubset) => void,
    subsetFontdict: proto.subsetFontdict as (this: CffSubset, topDict: CffTopDict) => void,
  };
  const mark = (used: Record<number, boolean>, subrs: number[]) => {
    for (const index of subrs) used[index] = true;
  };

  proto.subsetCharstrings = function (this: CffSubset): void {
    const calls = new Map<number, CalledSubrs>();
    for (const gid of this.glyphs) {
      const called = calledSubrs(this.cff, gid);
      if (!called) {
        this.calls = undefined;
        return fontkits.subsetCharstrings.call(this);
      }
      calls.set(gid, called);
    }
    this.calls = calls;
    this.charstrings = this.glyphs.map((gid) => this.cff.getCharString(gid));
    const gsubrs: Record<number, boolean> = {};
    for (const called of calls.values()) mark(gsubrs, called.global);
    this.gsubrs = this.subsetSubrs(this.cff.globalSubrIndex, gsubrs);
  };

  // fontkit's: the font dicts the glyphs use, in the order first used, each with the local subroutines its glyphs call.
  proto.subsetFontdict = function (this: CffSubset, topDict: CffTopDict): void {
    const calls = this.calls;
    if (!calls) return fontkits.subsetFontdict.call(this, topDict);
    topDict.FDArray = [];
    topDict.FDSelect = { version: 0, fds: [] };
    const usedSubrs: Array<Record<number, boolean>> = [];
    const newFd = new Map<number, number>();
    for (const gid of this.glyphs) {
      const fd = this.cff.fdForGlyph(gid);
      if (fd == null) continue;
      let index = newFd.get(fd);
      if (index === undefined) {
        topDict.FDArray.push(Object.assign({}, this.cff.topDict.FDArray![fd]));
        usedSubrs.push({});
        newFd.set(fd, (index = topDict.FDArray.length - 1));
      }
      topDict.FDSelect.fds.push(index);
      mark(usedSubrs[index], calls.get(gid)!.local);
    }
    topDict.FDArray.forEach((dict, i) => {
      delete dict.FontName;
      if (dict.Private?.Subrs) dict.Private = { ...dict.Private, Subrs: this.subsetSubrs(dict.Private.Subrs, usedSubrs[i]) as unknown as CffIndexEntry[] };
    });
  };
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

/**
 * Runs kept per face before the cache starts afresh. Besides the few hundred words every document
 * shares, pdfkit caches each printed line as one run (a CJK line has no space to split it at), and a
 * case's own lines never come again: some 13 new runs a document, about 1.8 kB each. 3,000 runs are
 * some 5 MB per face (20,000 were 36 MB), and starting afresh lays the shared words out again once
 * in about 200 documents.
 */
export const LAYOUT_CACHE_LIMIT = 3000;
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
