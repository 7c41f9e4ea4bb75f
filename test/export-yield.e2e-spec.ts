import type { AddressInfo } from 'node:net';
import { InteractiveRequests, RECENTLY_BUSY_MS } from '../src/heavy-reads/interactive-requests';
import type { CopyOptions } from '../src/stats/case-export.repository';
import { CaseExportRepository, EXPORT_CHUNK_ROWS } from '../src/stats/case-export.repository';
import { getBinary } from './utils/binary';
import { makeWorkstationTeam } from './utils/factories';
import { holdRequest, until } from './utils/held-request';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(60_000);

/** Cases enough for a CSV of several of the export's 256 KB writes (each row carries a 600-character summary). */
const BULK_CASES = 3000;

describe('a CSV export yields to interactive requests (e2e)', () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let interactive: InteractiveRequests;
  let port: number;
  const copies: CopyOptions[] = [];
  let aloneBody: Buffer | undefined;

  /** The export's pauses: whenIdle's answers during it (null: nothing in flight, went on at once). */
  async function exportWatched(): Promise<{ body: Buffer; rows: number; pauses: number; noPause: number; copy: CopyOptions }> {
    const whenIdle = jest.spyOn(interactive, 'whenIdle');
    try {
      const res = await getBinary(t, team.staff, '/cases/export.csv');
      expect(res.status).toBe(200);
      const answers = whenIdle.mock.results.map((r) => r.value as unknown);
      return {
        body: res.body,
        rows: res.body.toString('utf8').split('\r\n').length - 2,
        pauses: answers.filter((a) => a !== null).length,
        noPause: answers.filter((a) => a === null).length,
        copy: copies[copies.length - 1],
      };
    } finally {
      whenIdle.mockRestore();
    }
  }

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
    interactive = t.app.get(InteractiveRequests);
    const repository = t.app.get(CaseExportRepository);
    const csvLines = repository.csvLines.bind(repository);
    jest.spyOn(repository, 'csvLines').mockImplementation((filter, select, options) => {
      copies.push(options ?? {});
      return csvLines(filter, select, options);
    });
    await t.db.query(
      `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name,
                          respondent_name, received_at, deadline_at, overdue)
       SELECT 'YIELD-' || lpad(g::text, 5, '0'), $1, 'walk_in', 'wage_arrears', 'assigned', repeat('拖欠工资', 150), 1000, '申请人' || g,
              '某公司', now() - g * interval '1 minute', now() + interval '15 days', false
       FROM generate_series(1, $2::int) g`,
      [team.ws.id, BULK_CASES],
    );
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts a request from its start until it ends, a client gone mid-way included', async () => {
    expect(interactive.inFlight()).toBe(0);
    const held = holdRequest(port);
    await until(() => interactive.inFlight() === 1);
    held.destroy();
    await until(() => interactive.inFlight() === 0);
  });

  it('alone: the export does not count itself, never pauses and may plan in parallel', async () => {
    await new Promise((r) => setTimeout(r, RECENTLY_BUSY_MS + 50));
    const alone = await exportWatched();
    expect(alone.rows).toBe(BULK_CASES);
    expect(alone.noPause).toBeGreaterThanOrEqual(2);
    expect(alone.pauses).toBe(0);
    expect(alone.copy).toEqual({ serial: false });
    aloneBody = alone.body;
    expect(interactive.inFlight()).toBe(0);
  });

  it('with another request in flight: it reads in key-range chunks, pauses between them, and writes the same file', async () => {
    const held = holdRequest(port);
    try {
      await until(() => interactive.inFlight() === 1);
      const busy = await exportWatched();
      expect(busy.rows).toBe(BULK_CASES);
      expect(busy.copy).toEqual({ serial: true });
      expect(busy.noPause).toBe(0);
      // EXPORT_CHUNK_ROWS (1,000) a chunk: a pause after each full one (the last, empty, ends the export).
      expect(busy.pauses).toBe(Math.floor(BULK_CASES / EXPORT_CHUNK_ROWS));
      expect(aloneBody).toBeDefined();
      expect(busy.body.equals(aloneBody!)).toBe(true);
    } finally {
      held.destroy();
    }
    await until(() => interactive.inFlight() === 0);
  });
});
