import { sqlLiteral, StatsRepository } from './stats.repository';

/**
 * The round trips of StatsRepository.figures over a fake PgReads: which statements go in which
 * text, and which rows answer. The figures themselves are checked against a recount in
 * test/stats-consistency.e2e-spec.ts.
 */
function fakeReads(coverage: () => Array<{ kind: 'month' | 'day'; date: string }>) {
  /** Each round trip's statements (a kept statement by its text; `kept` says which were kept statements). */
  const trips: Array<{ statements: string[]; params?: unknown[]; kept?: boolean[] }> = [];
  /** The figures' rows say which text they came from (the round trip's number). */
  const figuresRow = () => ({ key: '', received: String(trips.length), concluded: '0', agreements: '0', failed: '0', withdrawn: '0', confirmed: '0', court_concluded: '0', confirmable: '0', avg_days: null, amount_agreed: '0.00' });
  const answer = (sql: string): unknown[] => (sql.startsWith('WITH months') ? coverage() : sql.startsWith('SELECT key') ? [figuresRow()] : []);
  const reads = {
    readOnlyTransaction: async <T>(fn: (query: unknown, batch: unknown) => Promise<T>) =>
      fn(
        async (sql: string, params: unknown[]) => {
          trips.push({ statements: [sql], params });
          return answer(sql);
        },
        async (statements: Array<string | { name: string; text: string }>) => {
          const texts = statements.map((s) => (typeof s === 'string' ? s : s.text));
          trips.push({ statements: texts, kept: statements.map((s) => typeof s !== 'string') });
          return texts.map(answer);
        },
      ),
  };
  return { repo: new StatsRepository({} as never, reads as never), trips };
}

const kinds = (trips: Array<{ statements: string[] }>) => trips.map((t) => t.statements.map((s) => s.split(/\s/)[0] + (s.startsWith('SET') ? ' jit' : '')));

describe('StatsRepository.figures: round trips', () => {
  const period = { from: '2021-11-30', to: '2026-11-29' };
  const all = { workstationId: null, mediatorId: null };
  const months = Array.from({ length: 12 }, (_, i) => ({ kind: 'month' as const, date: `2025-${String(i + 1).padStart(2, '0')}-01` }));
  const days = [{ kind: 'day' as const, date: '2026-11-01' }];

  it('reads a period first in two (BEGIN, jit off, coverage; figures bound), then in one text while its coverage stays as read', async () => {
    let coverage = [...months, ...days];
    const { repo, trips } = fakeReads(() => coverage);
    expect((await repo.figures(period, all, 'none')).get('')!.received).toBe(2);
    expect(kinds(trips)).toEqual([['BEGIN', 'SET jit', 'WITH'], ['SELECT']]);
    expect(trips[1].params!.length).toBeGreaterThan(0);
    expect(trips[0].kept).toEqual([false, false, true]);

    // The same coverage: one text, the figures built from it with literals, those rows answer.
    expect((await repo.figures(period, all, 'none')).get('')!.received).toBe(3);
    expect(kinds(trips.slice(2))).toEqual([['BEGIN', 'SET jit', 'WITH', 'SELECT']]);
    // The coverage and the guessed figures as kept statements (prepared once per connection).
    expect(trips[2].kept).toEqual([false, false, true, true]);
    const [, , , guessed] = trips[2].statements;
    expect(guessed).toContain(`'{2025-01-01,2025-02-01,2025-03-01,2025-04-01,2025-05-01,2025-06-01,2025-07-01,2025-08-01,2025-09-01,2025-10-01,2025-11-01,2025-12-01}'::date[]`);
    expect(guessed).not.toMatch(/\$\d/);

    // Another grouping of the same period uses the same guess.
    await repo.figures(period, all, 'month');
    expect(kinds(trips.slice(3))).toEqual([['BEGIN', 'SET jit', 'WITH', 'SELECT']]);

    // The coverage changed (a day taken out): the guessed rows are not used; the figures of the
    // coverage read come from a second round trip in the same transaction.
    coverage = [...months];
    expect((await repo.figures(period, all, 'none')).get('')!.received).toBe(6);
    expect(kinds(trips.slice(4))).toEqual([['BEGIN', 'SET jit', 'WITH', 'SELECT'], ['SELECT']]);
    expect(trips[5].params).not.toContainEqual(['2026-11-01']);
    // ... and is the guess from then on.
    expect((await repo.figures(period, all, 'none')).get('')!.received).toBe(7);
    expect(kinds(trips.slice(6))).toEqual([['BEGIN', 'SET jit', 'WITH', 'SELECT']]);
    expect(trips[6].statements[3]).not.toContain('2026-11-01');
  });

  it('sends the guessed text built for its period, grouping and scope, each its own', async () => {
    const { repo, trips } = fakeReads(() => months);
    const ws = { workstationId: '8f8b3a52-7f57-4c4e-9d3c-1f2e3d4c5b6a', mediatorId: null };
    await repo.figures(period, all, 'none');
    const asked = [[all, 'none'], [ws, 'none'], [all, 'month'], [ws, 'none'], [all, 'none']] as const;
    for (const [scope, grouping] of asked) await repo.figures(period, scope, grouping);
    const guessed = trips.slice(2).map((t) => t.statements[3]);
    expect(guessed[0]).not.toContain('workstation_id');
    expect(guessed[1]).toContain(`s.workstation_id = '8f8b3a52-7f57-4c4e-9d3c-1f2e3d4c5b6a'::uuid`);
    expect(guessed[2]).toContain(`to_char(g.key, 'YYYY-MM')`);
    expect([guessed[3], guessed[4]]).toEqual([guessed[1], guessed[0]]);
  });

  it('guesses per period', async () => {
    const { repo, trips } = fakeReads(() => months);
    await repo.figures(period, all, 'none');
    await repo.figures({ from: '2025-01-01', to: '2025-12-31' }, all, 'none');
    expect(kinds(trips)).toEqual([['BEGIN', 'SET jit', 'WITH'], ['SELECT'], ['BEGIN', 'SET jit', 'WITH'], ['SELECT']]);
  });

  it('reads no coverage where no snapshot answers (a mediator by dispute type): BEGIN, then the figures', async () => {
    const { repo, trips } = fakeReads(() => months);
    await repo.figures(period, { workstationId: null, mediatorId: '8f8b3a52-7f57-4c4e-9d3c-1f2e3d4c5b6a' }, 'disputeType');
    expect(kinds(trips)).toEqual([['BEGIN', 'SET jit'], ['SELECT']]);
  });

  it('takes a workstation into the guessed text as a literal, and refuses anything not a date before sending', async () => {
    const { repo, trips } = fakeReads(() => months);
    const ws = { workstationId: '8f8b3a52-7f57-4c4e-9d3c-1f2e3d4c5b6a', mediatorId: null };
    await repo.figures(period, ws, 'none');
    await repo.figures(period, ws, 'none');
    expect(trips[2].statements[3]).toContain(`s.workstation_id = '8f8b3a52-7f57-4c4e-9d3c-1f2e3d4c5b6a'::uuid`);
    await expect(repo.figures({ from: "2026-01-01'; DROP TABLE cases; --", to: '2026-01-31' }, all, 'none')).rejects.toThrow(/not a date literal/);
    expect(trips).toHaveLength(3);
  });
});

describe('sqlLiteral', () => {
  it('writes dates, instants and UUIDs and arrays of them', () => {
    expect(sqlLiteral('2026-11-29', 'date')).toBe(`'2026-11-29'::date`);
    expect(sqlLiteral(['2026-11-28', '2026-11-29'], 'date[]')).toBe(`'{2026-11-28,2026-11-29}'::date[]`);
    expect(sqlLiteral([], 'date[]')).toBe(`'{}'::date[]`);
    expect(sqlLiteral('2026-11-28T16:00:00.000Z', 'timestamptz')).toBe(`'2026-11-28T16:00:00.000Z'::timestamptz`);
    expect(sqlLiteral('8F8B3A52-7f57-4c4e-9d3c-1f2e3d4c5b6a', 'uuid')).toBe(`'8F8B3A52-7f57-4c4e-9d3c-1f2e3d4c5b6a'::uuid`);
  });

  it('refuses anything else', () => {
    for (const [value, cast] of [
      ["2026-11-29'", 'date'],
      ['2026-11-29\\', 'date'],
      ['2026-11-29 ', 'date'],
      [['2026-11-29', '2026-11-30}'], 'date[]'],
      ['2026-11-29', 'date[]'],
      [['2026-11-29'], 'date'],
      [20261129, 'date'],
      ['2026-11-28 16:00:00+00', 'timestamptz'],
      ["8f8b3a52-7f57-4c4e-9d3c-1f2e3d4c5b6'", 'uuid'],
      ['x', 'text'],
    ] as Array<[unknown, string]>) {
      expect(() => sqlLiteral(value, cast)).toThrow(/not a/);
    }
  });
});
