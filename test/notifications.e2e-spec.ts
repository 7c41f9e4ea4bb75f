import { bearer, makeWorkstationTeam } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(30_000);

describe('notifications API (e2e)', () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let caseId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
    const [ws] = await t.db.query(`SELECT code FROM workstations WHERE id = $1`, [team.ws.id]);
    const [c] = await t.db.query(
      `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, respondent_name, received_at, deadline_at)
       VALUES ($1, $2, 'walk_in', 'wage_arrears', 'assigned', '拖欠工资', 1000, '张三', '某公司', now(), now() + interval '15 days') RETURNING id`,
      [`${ws.code}-2030-000001`, team.ws.id],
    );
    caseId = c.id;
    // Five for the mediator, one minute apart (the newest last), and one for the other mediator.
    for (let i = 0; i < 5; i++) {
      const [n] = await t.db.query(
        `INSERT INTO notifications (user_id, kind, case_id, case_number, message, due_at, created_at)
         VALUES ($1, 'mediation_deadline', $2, $3, $4, '2030-03-25T16:00:00Z', $5) RETURNING id`,
        [team.mediator.id, caseId, `${ws.code}-2030-000001`, `提醒 ${i}`, new Date(Date.UTC(2030, 2, 1, 0, i))],
      );
      ids.push(n.id);
    }
    const [other] = await t.db.query(`INSERT INTO notifications (user_id, kind, message) VALUES ($1, 'case_assigned', '别人的') RETURNING id`, [team.mediator2.id]);
    ids.push(other.id);
  });
  afterAll(() => t.close());

  it('lists only my own notifications, newest first, paginated, in the documented shape', async () => {
    const res = await t.http.get('/api/v1/notifications?page=1&pageSize=2').set(bearer(team.mediator)).expect(200);
    expect(res.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(res.body.items.map((n: { message: string }) => n.message)).toEqual(['提醒 4', '提醒 3']);
    expect(res.body.items[0]).toEqual({
      id: ids[4],
      kind: 'mediation_deadline',
      caseId,
      caseNumber: expect.stringMatching(/-2030-000001$/),
      message: '提醒 4',
      dueAt: '2030-03-25T16:00:00.000Z',
      createdAt: '2030-03-01T00:04:00.000Z',
      readAt: null,
    });
    const last = await t.http.get('/api/v1/notifications?page=3&pageSize=2').set(bearer(team.mediator)).expect(200);
    expect(last.body.items.map((n: { message: string }) => n.message)).toEqual(['提醒 0']);
    const staff = await t.http.get('/api/v1/notifications').set(bearer(team.staff)).expect(200);
    expect(staff.body).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
  });

  it('marks my own as read (the first reading time stays) and filters unread; another user\'s is a 404', async () => {
    t.clock.freeze(new Date('2030-03-02T08:00:00Z'));
    const read = await t.http.post(`/api/v1/notifications/${ids[3]}/read`).set(bearer(team.mediator)).expect(200);
    expect(read.body).toMatchObject({ id: ids[3], readAt: '2030-03-02T08:00:00.000Z' });
    t.clock.freeze(new Date('2030-03-03T08:00:00Z'));
    const again = await t.http.post(`/api/v1/notifications/${ids[3]}/read`).set(bearer(team.mediator)).expect(200);
    expect(again.body.readAt).toBe('2030-03-02T08:00:00.000Z');

    const unread = await t.http.get('/api/v1/notifications?unread=true').set(bearer(team.mediator)).expect(200);
    expect(unread.body.total).toBe(4);
    expect(unread.body.items.map((n: { id: string }) => n.id)).not.toContain(ids[3]);
    const all = await t.http.get('/api/v1/notifications?unread=false').set(bearer(team.mediator)).expect(200);
    expect(all.body.total).toBe(5);

    const foreign = await t.http.post(`/api/v1/notifications/${ids[5]}/read`).set(bearer(team.mediator)).expect(404);
    expect(foreign.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await t.db.query(`SELECT read_at FROM notifications WHERE id = $1`, [ids[5]]))[0].read_at).toBeNull();
    await t.http.post('/api/v1/notifications/00000000-0000-4000-8000-000000000000/read').set(bearer(team.mediator)).expect(404);
  });

  it('marks all of mine read at once', async () => {
    const res = await t.http.post('/api/v1/notifications/read-all').set(bearer(team.mediator)).expect(200);
    expect(res.body).toEqual({ updated: 4 });
    const unread = await t.http.get('/api/v1/notifications?unread=true').set(bearer(team.mediator)).expect(200);
    expect(unread.body.total).toBe(0);
    const others = await t.http.get('/api/v1/notifications?unread=true').set(bearer(team.mediator2)).expect(200);
    expect(others.body.total).toBe(1);
  });

  it('rejects bad input with 400 and anonymous calls with 401', async () => {
    for (const query of ['unread=yes', 'pageSize=101', 'page=0', 'page=abc', 'extra=1']) {
      const res = await t.http.get(`/api/v1/notifications?${query}`).set(bearer(team.mediator)).expect(400);
      expect(res.body.statusCode).toBe(400);
    }
    await t.http.post('/api/v1/notifications/not-a-uuid/read').set(bearer(team.mediator)).expect(400);
    await t.http.get('/api/v1/notifications').expect(401);
    await t.http.post(`/api/v1/notifications/${ids[0]}/read`).expect(401);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/notifications', '/api/v1/notifications/{id}/read']));
    expect(Object.keys(doc.body.components.schemas.NotificationView.properties).sort()).toEqual(['caseId', 'caseNumber', 'createdAt', 'dueAt', 'id', 'kind', 'message', 'readAt']);
  });
});
