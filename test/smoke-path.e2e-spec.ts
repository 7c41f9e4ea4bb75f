import { createTestApp, TestApp } from './utils/test-app';
import { makeWorkstationTeam } from './utils/factories';
import { caseInState } from './utils/case-factory';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
  });
  afterAll(() => t.close());
  it('goes to every state', async () => {
    const team = await makeWorkstationTeam(t);
    for (const s of ['registered', 'assigned', 'in_mediation', 'agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'] as const) {
      const c = await caseInState(t, team, s);
      const [row] = await t.db.query('SELECT status FROM cases WHERE id = $1', [c.id]);
      expect(row.status).toBe(s);
    }
  });
});
