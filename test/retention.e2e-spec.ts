import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Role } from '../src/accounts-core/role.enum';
import { RetentionService } from '../src/retention/retention.service';
import { ANONYMISED_NAME, ANONYMISED_TEXT } from '../src/retention/retention.repository';
import { caseInState } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam } from './utils/factories';
import { LocalS3, startLocalS3 } from './utils/s3-server';
import { createTestApp, TestApp } from './utils/test-app';

const api = (p: string) => `/api/v1${p}`;

describe('retention: concluded cases past RETENTION_YEARS are anonymised (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: true, env: { RETENTION_YEARS: '10' } });
  });
  afterAll(() => t.close());

  it('anonymises names, numbers, phones and free text of old concluded cases and their timeline, leaves the statistics and everything else alone', async () => {
    const team = await makeWorkstationTeam(t);
    const admin = await makeUser(t, Role.Admin, null);
    const old = await caseInState(t, team, 'confirmed');
    const oldFailed = await caseInState(t, team, 'failed');
    const recent = await caseInState(t, team, 'withdrawn');
    const open = await caseInState(t, team, 'in_mediation');
    // Concluded eleven years ago (and received then): past retention. The open one is old too, but open.
    for (const id of [old.id, oldFailed.id, open.id]) {
      await t.db.query(`UPDATE cases SET received_at = received_at - interval '11 years', deadline_at = deadline_at - interval '11 years', concluded_at = concluded_at - interval '11 years' WHERE id = $1`, [id]);
    }
    await t.db.query(`UPDATE agreements SET signed_at = signed_at - interval '11 years', effective_at = effective_at - interval '11 years' WHERE case_id = $1`, [old.id]);
    const day = (offsetDays: number, years = 0) => {
      const d = new Date(Date.now() + offsetDays * 86400_000);
      d.setUTCFullYear(d.getUTCFullYear() - years);
      return d.toISOString().slice(0, 10);
    };
    // The period eleven years ago (the anonymised cases) and this month (the others), summary and breakdown.
    const statsQueries = [
      api(`/stats/summary?from=${day(-40, 11)}&to=${day(40, 11)}&workstationId=${team.ws.id}`),
      api(`/stats/breakdown?by=disputeType&from=${day(-40, 11)}&to=${day(40, 11)}&workstationId=${team.ws.id}`),
      api(`/stats/summary?from=${day(-30)}&to=${day(1)}&workstationId=${team.ws.id}`),
    ];
    const statsBefore = [];
    for (const q of statsQueries) statsBefore.push((await t.http.get(q).set(bearer(admin)).expect(200)).body);
    expect(statsBefore[0]).toMatchObject({ received: 3 });
    const eventsBefore = (await t.http.get(api(`/cases/${old.id}/events`)).set(bearer(admin)).expect(200)).body;
    const caseBefore = (await t.http.get(api(`/cases/${old.id}`)).set(bearer(admin)).expect(200)).body;

    const retention = t.app.get(RetentionService);
    expect(await retention.run()).toBe(2);
    expect(await retention.run()).toBe(0);

    const anonymised = (await t.http.get(api(`/cases/${old.id}`)).set(bearer(admin)).expect(200)).body;
    expect(anonymised).toMatchObject({
      applicant: { name: ANONYMISED_NAME, idNumber: null, phone: null },
      respondent: { name: ANONYMISED_NAME, creditCode: null, phone: null },
      summary: ANONYMISED_TEXT,
      courtCaseNumber: null,
      // what the statistics count stays
      status: caseBefore.status,
      disputeType: caseBefore.disputeType,
      claimAmount: caseBefore.claimAmount,
      receivedAt: caseBefore.receivedAt,
      concludedAt: caseBefore.concludedAt,
      mediatorId: caseBefore.mediatorId,
      caseNumber: caseBefore.caseNumber,
    });
    expect(JSON.stringify(anonymised)).not.toMatch(/420102199001011234|申请人|某某建筑/);
    const [agreement] = await t.db.query(`SELECT terms, agreed_amount FROM agreements WHERE case_id = $1`, [old.id]);
    expect(agreement.terms).toBe(ANONYMISED_TEXT);

    const eventsAfter = (await t.http.get(api(`/cases/${old.id}/events`)).set(bearer(admin)).expect(200)).body;
    expect(eventsAfter.map((e: { type: string; at: string }) => [e.type, e.at])).toEqual(eventsBefore.map((e: { type: string; at: string }) => [e.type, e.at]));
    expect(JSON.stringify(eventsAfter)).not.toMatch(/420102199001011234|申请人|某某建筑/);

    // Still append-only for everyone else.
    await expect(t.db.query(`UPDATE case_events SET after = '{}'::jsonb WHERE case_id = $1`, [recent.id])).rejects.toThrow(/append-only/);

    for (const id of [recent.id, open.id]) {
      const untouched = (await t.http.get(api(`/cases/${id}`)).set(bearer(admin)).expect(200)).body;
      expect(untouched.applicant.idNumber).toBe('420102199001011234');
      expect(untouched.summary).not.toBe(ANONYMISED_TEXT);
    }
    const statsAfter = [];
    for (const q of statsQueries) statsAfter.push((await t.http.get(q).set(bearer(admin)).expect(200)).body);
    expect(statsAfter).toEqual(statsBefore);

    const audit = (await t.http.get(api('/audit?action=case.anonymised')).set(bearer(admin)).expect(200)).body;
    expect(audit.items.map((e: { caseId: string }) => e.caseId).sort()).toEqual([old.id, oldFailed.id].sort());
    expect(audit.items[0]).toMatchObject({ actorId: null, actorName: '系统' });
  });
});

describe('retention removes the attachments of the cases it anonymises, their content included (e2e)', () => {
  let t: TestApp;
  let s3: LocalS3;

  beforeAll(async () => {
    s3 = await startLocalS3();
    t = await createTestApp({ workers: true, env: { RETENTION_YEARS: '10', ...s3.env } });
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  const keys = async () => ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key).sort();

  it('deletes the S3 objects of an anonymised case and keeps those of the others', async () => {
    const team = await makeWorkstationTeam(t);
    const old = await caseInState(t, team, 'failed');
    const recent = await caseInState(t, team, 'failed');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 7)]);
    const uploaded: Record<string, string[]> = { [old.id]: [], [recent.id]: [] };
    for (const id of [old.id, old.id, recent.id]) {
      const res = await t.http.post(api(`/cases/${id}/attachments`)).set(bearer(team.staff)).field('kind', 'evidence').attach('file', pdf, { filename: '证据.pdf', contentType: 'application/pdf' });
      expect(res.status).toBe(201);
      uploaded[id].push(`attachments/${id}/${res.body.id}`);
    }
    expect(await keys()).toEqual([...uploaded[old.id], ...uploaded[recent.id]].sort());
    await t.db.query(`UPDATE cases SET received_at = received_at - interval '11 years', deadline_at = deadline_at - interval '11 years', concluded_at = concluded_at - interval '11 years' WHERE id = $1`, [old.id]);

    expect(await t.app.get(RetentionService).run()).toBe(1);

    expect(await keys()).toEqual(uploaded[recent.id]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM attachments WHERE case_id = $1`, [old.id]);
    expect(n).toBe(0);
    const detail = (await t.http.get(api(`/cases/${old.id}`)).set(bearer(team.staff)).expect(200)).body;
    expect(detail.attachments).toEqual([]);
    const kept = (await t.http.get(api(`/cases/${recent.id}`)).set(bearer(team.staff)).expect(200)).body;
    expect(kept.attachments).toHaveLength(1);
  });
});
