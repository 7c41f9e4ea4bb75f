import { countedTrim, loadMallocTrim, mallocTrimFigures } from './malloc-trim';
import { MemoryTrimmer, TRIM_AFTER_GROWTH_BYTES } from './memory-trim.service';

const MB = 1024 * 1024;

describe('MemoryTrimmer', () => {
  function fixture(startRss: number) {
    let rss = startRss;
    const calls: number[] = [];
    const trimmer = new MemoryTrimmer(
      (pad) => {
        calls.push(pad);
        rss -= 30 * MB;
        return 1;
      },
      () => rss,
    );
    return { trimmer, calls, setRss: (v: number) => (rss = v) };
  }

  it('trims at the first check, whatever the RSS: what the start-up freed', () => {
    const { trimmer, calls } = fixture(150 * MB);
    expect(trimmer.trimIfGrown()).toBe(30 * MB);
    expect(calls).toEqual([0]);
  });

  it('then leaves growth under the threshold alone', () => {
    const { trimmer, calls, setRss } = fixture(150 * MB);
    trimmer.trimIfGrown();
    setRss(120 * MB + TRIM_AFTER_GROWTH_BYTES - 1);
    expect(trimmer.trimIfGrown()).toBe(0);
    expect(calls).toEqual([0]);
  });

  it('trims once the RSS grew by the threshold, and counts what it released', () => {
    const { trimmer, calls, setRss } = fixture(150 * MB);
    trimmer.trimIfGrown();
    setRss(190 * MB);
    expect(trimmer.trimIfGrown()).toBe(30 * MB);
    expect(calls).toEqual([0, 0]);
    // Measured from the RSS after the trim (160 MB): 167 MB is not enough growth, 168 MB is.
    setRss(167 * MB);
    expect(trimmer.trimIfGrown()).toBe(0);
    setRss(168 * MB);
    expect(trimmer.trimIfGrown()).toBe(30 * MB);
    expect(calls).toEqual([0, 0, 0]);
  });

  it('runs a scavenge before each trim, and only then', () => {
    const steps: string[] = [];
    let rss = 150 * MB;
    const trimmer = new MemoryTrimmer(
      () => {
        steps.push('trim');
        return 1;
      },
      () => rss,
      () => steps.push('scavenge'),
    );
    trimmer.trimIfGrown();
    rss += TRIM_AFTER_GROWTH_BYTES - 1;
    trimmer.trimIfGrown();
    rss += 1;
    trimmer.trimIfGrown();
    expect(steps).toEqual(['scavenge', 'trim', 'scavenge', 'trim']);
  });

  it('counts the next growth from a lower RSS when the RSS fell without a trim', () => {
    const { trimmer, calls, setRss } = fixture(150 * MB);
    trimmer.trimIfGrown();
    setRss(100 * MB);
    expect(trimmer.trimIfGrown()).toBe(0);
    setRss(100 * MB + TRIM_AFTER_GROWTH_BYTES);
    trimmer.trimIfGrown();
    expect(calls).toEqual([0, 0]);
  });
});

describe('countedTrim', () => {
  it('counts every call in the process ledger, with the RSS it gave back, whoever calls it', () => {
    const before = mallocTrimFigures();
    let rss = 200 * MB;
    const trim = countedTrim(
      () => {
        rss -= 12 * MB;
        return 1;
      },
      () => rss,
    );
    expect(trim(0)).toBe(1);
    // A trim that released nothing (the RSS grew meanwhile) counts as a trim of 0 bytes.
    const noRelease = countedTrim(() => 0, () => (rss += MB));
    expect(noRelease(0)).toBe(0);
    const after = mallocTrimFigures();
    expect(after.trims - before.trims).toBe(2);
    expect(after.releasedBytes - before.releasedBytes).toBe(12 * MB);
    expect(after.seconds).toBeGreaterThanOrEqual(before.seconds);
  });
});

describe('loadMallocTrim', () => {
  it('reaches glibc on Linux (the machines and the container run glibc) and the call answers 0 or 1', () => {
    const trim = loadMallocTrim();
    expect(trim).not.toBeNull();
    const before = mallocTrimFigures().trims;
    expect([0, 1]).toContain(trim!(0));
    expect(mallocTrimFigures().trims).toBe(before + 1);
  });
});
