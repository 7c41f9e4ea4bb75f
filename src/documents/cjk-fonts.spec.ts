import type { FontkitFont } from 'fontkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calledSubrs, CJK_FONT_DIRS, cjkFaces, FONTS_IDLE_MS, LAYOUT_CACHE_LIMIT, releaseFaces, sharedLayoutCache } from './cjk-fonts';
import { OfficialPdf } from './pdf-layout';

/** fontkit as published, loaded apart from the app's (whose subsetter cjk-fonts changes). */
function unpatchedFontkit(): typeof import('fontkit') {
  let fontkit!: typeof import('fontkit');
  jest.isolateModules(() => {
    fontkit = require('fontkit') as typeof import('fontkit');
  });
  return fontkit;
}

interface FontInternals {
  numGlyphs: number;
  'CFF ': Parameters<typeof calledSubrs>[0];
  getGlyph(gid: number): { path: unknown; _usedSubrs: object; _usedGsubrs: object };
  glyphsForString(text: string): Array<{ id: number }>;
  createSubset(): { includeGlyph(gid: number): number; encode(): Uint8Array };
  _glyphs: Record<number, object>;
}

const internals = (font: FontkitFont) => font as unknown as FontInternals;
const subsetFile = (name: string) => readFileSync(join(__dirname, '../../fonts', name));
const fullFaceFile = (name: string) =>
  readFileSync(
    join(
      CJK_FONT_DIRS.find((dir) => existsSync(join(dir, name)))!,
      name,
    ),
  );

/** Compares every `stride`-th glyph's subroutines as calledSubrs finds them with fontkit's; returns the glyphs that differ, and how many were compared. */
function differentSubrs(font: FontInternals, stride: number): { differ: number[]; compared: number } {
  const differ: number[] = [];
  let compared = 0;
  const keys = (used: object) => Object.keys(used).join(',');
  const set = (subrs: number[]) => keys(Object.fromEntries(subrs.map((i) => [i, true])));
  for (let gid = 0; gid < font.numGlyphs; gid += stride, compared++) {
    const ours = calledSubrs(font['CFF '], gid);
    const glyph = font.getGlyph(gid);
    void glyph.path; // fontkit's outline parser records the calls
    if (!ours || set(ours.local) !== keys(glyph._usedSubrs) || set(ours.global) !== keys(glyph._usedGsubrs)) differ.push(gid);
  }
  return { differ, compared };
}

describe('CJK faces: the CFF subsetter without outlines', () => {
  it('finds the subroutines fontkit finds, for every glyph of the subset faces and a sample of the full ones', () => {
    const fontkit = unpatchedFontkit();
    for (const name of ['NotoSerifCJKsc-Regular.subset.otf', 'NotoSansCJKsc-Bold.subset.otf']) {
      const { differ, compared } = differentSubrs(internals(fontkit.create(subsetFile(name))), 1);
      expect({ differ, compared: compared > 7000 }).toEqual({ differ: [], compared: true });
    }
    for (const [file, postscriptName] of [
      ['NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
      ['NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold'],
    ]) {
      const { differ, compared } = differentSubrs(internals(fontkit.create(fullFaceFile(file), postscriptName)), 13);
      expect({ differ, compared: compared > 5000 }).toEqual({ differ: [], compared: true });
    }
  });

  it("encodes a document's subset to fontkit's own bytes", () => {
    const fontkit = unpatchedFontkit();
    const text = '劳动争议调解协议书：申请人王小明与被申请人武汉某某建筑有限公司，经调解自愿达成如下协议。（人民币38,600.00元）';
    for (const [face, name] of [
      ['serif', 'NotoSerifCJKsc-Regular.subset.otf'],
      ['sans', 'NotoSansCJKsc-Bold.subset.otf'],
    ] as const) {
      const ours = internals(cjkFaces()[face]);
      const theirs = internals(fontkit.create(subsetFile(name)));
      const encode = (font: FontInternals) => {
        const subset = font.createSubset();
        for (const glyph of font.glyphsForString(text)) subset.includeGlyph(glyph.id);
        return Buffer.from(subset.encode());
      };
      expect(encode(ours).equals(encode(theirs))).toBe(true);
    }
  });

  it('keeps no glyph outline after a document', async () => {
    const pdf = new OfficialPdf({ title: '劳动争议调解协议书' });
    pdf.title('劳动争议调解协议书').paragraph('申请人王小明与被申请人武汉某某建筑有限公司因拖欠工资纠纷申请调解。');
    expect((await pdf.finish()).length).toBeGreaterThan(1000);
    for (const face of Object.values(cjkFaces())) {
      const glyphs = Object.values(internals(face)._glyphs);
      expect(glyphs.length).toBeGreaterThan(5);
      expect(glyphs.filter((glyph) => Object.prototype.hasOwnProperty.call(glyph, 'path'))).toEqual([]);
    }
  });
});

describe('CJK faces: the shared layout cache', () => {
  it('is kept across documents up to its limit, then starts afresh', () => {
    const cache = sharedLayoutCache('limit-test');
    for (let i = 0; i < LAYOUT_CACHE_LIMIT; i++) cache[`run ${i}`] = {};
    expect(sharedLayoutCache('limit-test')).toBe(cache);
    cache['one more run'] = {};
    expect(Object.keys(sharedLayoutCache('limit-test'))).toEqual([]);
  });
});

describe('CJK faces: let go when documents are idle', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** An agreement-like document (the clock fixed in the byte test: the file's date and ID come from it). */
  async function document(name: string): Promise<Buffer> {
    const pdf = new OfficialPdf({ title: '劳动争议调解协议书', subject: 'WS01-2026-000001' });
    pdf.title('劳动争议调解协议书').reference('编号：WS01-2026-000001');
    pdf.paragraph(`申请人${name}与被申请人武汉某某建筑有限公司因拖欠工资纠纷申请调解，双方自愿达成如下协议。`);
    pdf.table(
      [
        { header: '期次', width: 1, align: 'center' },
        { header: '金额（元）', width: 2, align: 'right' },
      ],
      [['第1期', '12,500.00']],
    );
    return pdf.finish();
  }

  it('keeps the faces while documents keep coming, lets them go FONTS_IDLE_MS after the last one', async () => {
    await document('王小明');
    const faces = cjkFaces();
    await sleep(FONTS_IDLE_MS * 0.5);
    await document('李建国');
    await sleep(FONTS_IDLE_MS * 0.5);
    expect(cjkFaces()).toBe(faces);
    await document('张伟');
    await sleep(FONTS_IDLE_MS * 1.5);
    expect(cjkFaces()).not.toBe(faces);
  });

  it('makes the same bytes after the faces and the layout caches were let go', async () => {
    // Only Date is faked: the streams' ticks and the idle timer run as usual.
    jest.useFakeTimers({
      now: Date.UTC(2026, 10, 1),
      doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'],
    });
    const first = await document('王小明');
    const again = await document('王小明');
    releaseFaces();
    const afterRelease = await document('王小明');
    expect(again.equals(first)).toBe(true);
    expect(afterRelease.equals(first)).toBe(true);
    // A different text, laid out from the caches of the first faces and again from fresh ones.
    const other = await document('黄海涛');
    releaseFaces();
    expect((await document('黄海涛')).equals(other)).toBe(true);
    jest.useRealTimers();
  });
});
