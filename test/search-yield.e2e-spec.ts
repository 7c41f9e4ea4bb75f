import type { AddressInfo } from 'node:net';
import { CasesRepository } from '../src/case-core/cases.repository';
import { SEARCH_START_MAX_WAIT_MS } from '../src/heavy-reads/heavy-reads';
import { InteractiveRequests, RECENTLY_BUSY_MS } from '../src/heavy-reads/interactive-requests';
import { createCase } from './utils/case-factory';
import { bearer, makeWorkstationTeam } from './utils/factories';
import { holdRequest, until } from './utils/held-request';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(60_000);

const api = (path: string) => `/api/v1${path}`;

describe('a search yields to interactive requests (e2e)', () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let interactive: InteractiveRequests;
  let port: number;
  /** How the search read its page and total: 'together' in one statement, or 'apart' on two backends at once. */
  let steps: string[] = [];

  /** The search for 王 as the workstation's staff: its body, the order of its queries, and what whenIdle answered. */
  async function search(): Promise<{ body: { total: number; items: Array<{ applicant: { name: string } }> }; steps: string[]; idle: unknown[] }> {
    steps = [];
    const whenIdle = jest.spyOn(interactive, 'whenIdle');
    try {
      const res = await t.http.get(api(`/cases?q=${encodeURIComponent('王')}`)).set(bearer(team.staff)).expect(200);
      return { body: res.body, steps, idle: whenIdle.mock.calls.map((call, i) => [call[0], whenIdle.mock.results[i].value === null ? null : 'waited']) };
    } finally {
      whenIdle.mockRestore();
    }
  }

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
    interactive = t.app.get(InteractiveRequests);
    for (const name of ['王芳', '王伟', '李娜']) await createCase(t, team.staff, team.ws.id, { applicant: { name, idNumber: '420102199001011234', phone: '13800000000' } });
    const repository = t.app.get(CasesRepository);
    const together = repository.listPageAndTotal.bind(repository);
    jest.spyOn(repository, 'listPageAndTotal').mockImplementation((...args) => {
      steps.push('together+');
      return together(...args).finally(() => steps.push('together-'));
    });
    const apart = repository.listPageAndTotalApart.bind(repository);
    jest.spyOn(repository, 'listPageAndTotalApart').mockImplementation((...args) => {
      steps.push('apart+');
      return apart(...args).finally(() => steps.push('apart-'));
    });
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('alone: starts at once and reads its page and its total at the same time on two backends', async () => {
    await new Promise((r) => setTimeout(r, RECENTLY_BUSY_MS + 50));
    const alone = await search();
    expect(alone.body.total).toBe(2);
    expect(alone.body.items.map((c) => c.applicant.name).sort()).toEqual(['王伟', '王芳']);
    expect(alone.idle).toEqual([[SEARCH_START_MAX_WAIT_MS, null]]);
    expect(alone.steps).toEqual(['apart+', 'apart-']);
  });

  it('with another request in flight: waits for a gap (at most SEARCH_START_MAX_WAIT_MS), then reads page and total in one statement, with the same answer', async () => {
    await new Promise((r) => setTimeout(r, RECENTLY_BUSY_MS + 50));
    const alone = await search();
    const held = holdRequest(port);
    try {
      await until(() => interactive.inFlight() === 1);
      const t0 = performance.now();
      const busy = await search();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(SEARCH_START_MAX_WAIT_MS - 5);
      expect(busy.idle).toEqual([[SEARCH_START_MAX_WAIT_MS, 'waited']]);
      expect(busy.steps).toEqual(['together+', 'together-']);
      expect(busy.body).toEqual(alone.body);
    } finally {
      held.destroy();
    }
    await until(() => interactive.inFlight() === 0);
  });
});
