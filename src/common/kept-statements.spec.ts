import { batchText, KEPT_PER_CONNECTION, keptStatement, rowsOfBatch } from './kept-statements';

/** A fake pg connection that records what it is sent; `failing` names texts that throw. */
function fakeClient(failing: string[] = []) {
  const sent: string[] = [];
  const client = {
    query: async (sql: string) => {
      sent.push(sql);
      if (failing.includes(sql)) throw new Error(`${sql} failed`);
      const n = sql.split(';\n').length;
      return n === 1 ? { rows: [{ sql }] } : sql.split(';\n').map((s) => ({ rows: [{ sql: s }] }));
    },
  };
  return { client: client as never, sent };
}

describe('kept statements', () => {
  const figures = keptStatement(`SELECT 'figures'`);
  const coverage = keptStatement(`SELECT 'coverage'`);

  it('names a text by its digest: the same name for the same text, another for another', () => {
    expect(keptStatement(`SELECT 'figures'`)).toEqual(figures);
    expect(figures.name).toMatch(/^kept_[0-9a-f]{32}$/);
    expect(coverage.name).not.toBe(figures.name);
  });

  it('prepares a statement once per connection, in its own round trip, then sends EXECUTE', async () => {
    const a = fakeClient();
    expect(await rowsOfBatch(a.client, ['BEGIN', coverage, figures])).toEqual([
      [{ sql: 'BEGIN' }],
      [{ sql: `EXECUTE ${coverage.name}` }],
      [{ sql: `EXECUTE ${figures.name}` }],
    ]);
    expect(a.sent).toEqual([
      `PREPARE ${coverage.name} AS SELECT 'coverage'`,
      `PREPARE ${figures.name} AS SELECT 'figures'`,
      `BEGIN;\nEXECUTE ${coverage.name};\nEXECUTE ${figures.name}`,
    ]);
    await rowsOfBatch(a.client, ['BEGIN', coverage, figures]);
    expect(a.sent.slice(3)).toEqual([`BEGIN;\nEXECUTE ${coverage.name};\nEXECUTE ${figures.name}`]);
    // Another connection prepares its own.
    const b = fakeClient();
    await rowsOfBatch(b.client, [figures]);
    expect(b.sent).toEqual([`PREPARE ${figures.name} AS SELECT 'figures'`, `EXECUTE ${figures.name}`]);
  });

  it('does not remember a statement whose PREPARE failed', async () => {
    const a = fakeClient([`PREPARE ${figures.name} AS SELECT 'figures'`]);
    await expect(batchText(a.client, [figures])).rejects.toThrow('failed');
    await expect(batchText(a.client, [figures])).rejects.toThrow('failed');
    expect(a.sent).toEqual([`PREPARE ${figures.name} AS SELECT 'figures'`, `PREPARE ${figures.name} AS SELECT 'figures'`]);
  });

  it('takes a name already prepared on the connection as prepared (its text is the same: the name is its digest)', async () => {
    const sent: string[] = [];
    const client = {
      query: async (sql: string) => {
        sent.push(sql);
        if (sql.startsWith('PREPARE')) throw Object.assign(new Error('already exists'), { code: '42P05' });
        return { rows: [] };
      },
    };
    expect(await batchText(client as never, [figures])).toBe(`EXECUTE ${figures.name}`);
    expect(await batchText(client as never, [figures])).toBe(`EXECUTE ${figures.name}`);
    expect(sent).toEqual([`PREPARE ${figures.name} AS SELECT 'figures'`]);
  });

  it(`keeps at most ${KEPT_PER_CONNECTION} a connection, deallocating the least recently used`, async () => {
    const a = fakeClient();
    const many = Array.from({ length: KEPT_PER_CONNECTION }, (_, i) => keptStatement(`SELECT ${i}`));
    for (const s of many) await batchText(a.client, [s]);
    await batchText(a.client, [many[0]]); // used again: now the newest
    a.sent.length = 0;
    const another = keptStatement('SELECT -1');
    expect(await batchText(a.client, [another])).toBe(`EXECUTE ${another.name}`);
    expect(a.sent).toEqual([`DEALLOCATE ${many[1].name}`, `PREPARE ${another.name} AS SELECT -1`]);
    expect(await batchText(a.client, [many[0]])).toBe(`EXECUTE ${many[0].name}`);
    expect(a.sent).toHaveLength(2);
  });
});
