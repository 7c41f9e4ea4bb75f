import { Role } from '../src/accounts-core/role.enum';
import { caseBody } from './utils/case-factory';
import { bearer, makeUser, makeWorkstation } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/** Parses the Prometheus text format into `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('GET /metrics (e2e)', () => {
  let t: TestApp;
  let guarded: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    // The same app with loopback not among the allowed networks: only the token opens it.
    guarded = await createTestApp({ workers: false, env: { METRICS_ALLOW_NETWORKS: '10.0.0.0/8', METRICS_TOKEN: 'scrape-token-0123456789' } });
  });
  afterAll(async () => {
    await t.close();
    await guarded.close();
  });

  it('reports request latency per route template and status, the pool, the outbox, the queues and the event loop', async () => {
    const ws = await makeWorkstation(t);
    const staff = await makeUser(t, Role.UnionStaff, ws.id);
    const created = await t.http.post('/api/v1/cases').set(bearer(staff)).send(caseBody(ws.id)).expect(201);
    await t.http.get(`/api/v1/cases/${created.body.id}`).set(bearer(staff)).expect(200);
    await t.http.get(`/api/v1/cases/00000000-0000-4000-8000-000000000000`).set(bearer(staff)).expect(404);

    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const m = samples(res.text);
    expect(m.get('http_request_duration_seconds_count{method="POST",route="/api/v1/cases",status="201"}')).toBe(1);
    expect(m.get('http_request_duration_seconds_count{method="GET",route="/api/v1/cases/:id",status="200"}')).toBe(1);
    expect(m.get('http_request_duration_seconds_count{method="GET",route="/api/v1/cases/:id",status="404"}')).toBe(1);
    // No case id ever becomes a label.
    expect(res.text).not.toContain(created.body.id);
    // The new case's mediation-deadline reminders wait in the outbox (no worker runs in this app).
    expect(m.get('outbox_pending{outbox="reminders"}')).toBeGreaterThan(0);
    expect(m.get('outbox_oldest_pending_seconds{outbox="reminders"}')).toBeGreaterThanOrEqual(0);
    expect(m.get('db_pool_connections')).toBeGreaterThan(0);
    expect(m.get('db_pool_waiting')).toBe(0);
    expect(m.get('bullmq_queue_reachable{queue="reminders"}')).toBe(1);
    expect(m.has('bullmq_queue_jobs{queue="reminders",state="failed"}')).toBe(true);
    expect(m.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(m.get('outbox_pending{outbox="webhooks"}')).toBe(0);
    expect(m.get('metrics_scrape_database_ok')).toBe(1);
    // Freed malloc memory handed back to the kernel (src/process-memory): counted from the start.
    for (const name of ['process_malloc_trims_total', 'process_malloc_trim_released_bytes_total', 'process_malloc_trim_seconds_total']) expect(m.get(name)).toBeGreaterThanOrEqual(0);
  });

  it('is closed outside the allowed networks unless the scraper presents the token', async () => {
    const denied = await guarded.http.get('/metrics').expect(403);
    expect(denied.body.statusCode).toBe(403);
    await guarded.http.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(403);
    // A forged forwarding header does not make a client local.
    await guarded.http.get('/metrics').set('X-Forwarded-For', '10.1.2.3').expect(403);
    const ok = await guarded.http.get('/metrics').set('Authorization', 'Bearer scrape-token-0123456789').expect(200);
    expect(ok.text).toContain('http_request_duration_seconds');
  });
});
