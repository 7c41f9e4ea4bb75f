import { randomBytes } from 'node:crypto';
import { chunkRows } from './postgres-attachment-storage';

/** What COPY (SELECT seq, data ...) TO STDOUT (FORMAT binary) sends for these rows. */
function binaryCopy(rows: Array<{ seq: number; data: Buffer }>): Buffer {
  const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const header = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), int32(0), int32(3), Buffer.from('ext')];
  const body = rows.flatMap((r) => [int16(2), int32(4), int32(r.seq), int32(r.data.length), r.data]);
  return Buffer.concat([...header, ...body, int16(-1)]);
}

describe('chunkRows', () => {
  const rows = [
    { seq: 7, data: randomBytes(37) },
    { seq: 8, data: randomBytes(1) },
    { seq: 9, data: randomBytes(20) },
  ];
  const whole = binaryCopy(rows);

  it('reads every row whatever the buffers it arrived in, their data as views of those buffers', () => {
    for (const size of [1, 2, 3, 5, 7, 13, whole.length]) {
      const buffers: Buffer[] = [];
      for (let at = 0; at < whole.length; at += size) buffers.push(Buffer.from(whole.subarray(at, at + size)));
      const got = chunkRows(buffers);
      expect(got.map((r) => r.seq)).toEqual([7, 8, 9]);
      expect(got.map((r) => Buffer.concat(r.data))).toEqual(rows.map((r) => r.data));
      for (const piece of got.flatMap((r) => r.data)) expect(buffers.some((b) => b.buffer === piece.buffer)).toBe(true);
    }
  });

  it('an output without rows has none; a truncated or foreign one is an error', () => {
    expect(chunkRows([binaryCopy([])])).toEqual([]);
    expect(() => chunkRows([whole.subarray(0, whole.length - 10)])).toThrow(/ended mid-row/);
    expect(() => chunkRows([Buffer.from('seq,data\n1,\\x00\n')])).toThrow(/not a binary COPY/);
  });
});
