import { TestApp } from './test-app';
import { bearer, TestUser } from './factories';

let counter = 0;

/** A valid intake body; override any field. */
export function caseBody(workstationId: string, overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    workstationId,
    source: 'walk_in',
    disputeType: 'wage_arrears',
    summary: `拖欠工资纠纷 ${counter}`,
    claimAmount: '12500.00',
    applicant: { name: `申请人${counter}`, idNumber: '420102199001011234', phone: '13800000000' },
    respondent: { name: `某某建筑有限公司${counter}`, creditCode: '91420100MA4K0000XX' },
    workerCount: 1,
    ...overrides,
  };
}

export async function createCase(t: TestApp, actor: TestUser, workstationId: string, overrides: Record<string, unknown> = {}) {
  const res = await t.http.post('/api/v1/cases').set(bearer(actor)).send(caseBody(workstationId, overrides));
  if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; caseNumber: string; status: string; version: number; deadlineAt: string; workstationId: string };
}

/** Drives a case through the API up to the wanted state. */
export async function caseInState(
  t: TestApp,
  team: { staff: TestUser; mediator: TestUser; clerk: TestUser; ws: { id: string } },
  state: 'registered' | 'assigned' | 'in_mediation' | 'agreement_reached' | 'confirmation_requested' | 'confirmation_accepted' | 'confirmed' | 'confirmation_rejected' | 'failed' | 'withdrawn',
  overrides: Record<string, unknown> = {},
) {
  const c = await createCase(t, team.staff, team.ws.id, { receivedAt: new Date(Date.now() - 3600_000).toISOString(), ...overrides });
  const ok = async (res: { status: number; body: unknown }, step: string) => {
    if (res.status >= 300) throw new Error(`${step} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };
  const result: { id: string; caseNumber: string; sessionId?: string; agreementId?: string; confirmationId?: string } = { id: c.id, caseNumber: c.caseNumber };
  if (state === 'registered') return result;
  if (state === 'withdrawn' || state === 'failed') {
    await ok(await t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).send({ mediatorId: team.mediator.id }), 'assign');
    const path = state === 'failed' ? 'failure' : 'withdrawal';
    await ok(await t.http.post(`/api/v1/cases/${c.id}/${path}`).set(bearer(team.mediator)).send({ reason: '测试' }), path);
    return result;
  }
  await ok(await t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).send({ mediatorId: team.mediator.id }), 'assign');
  if (state === 'assigned') return result;
  const at = new Date(Date.now() - 1800_000).toISOString();
  const session = await ok(await t.http.post(`/api/v1/cases/${c.id}/sessions`).set(bearer(team.mediator)).send({ scheduledAt: at, mode: 'onsite' }), 'session');
  result.sessionId = session.id;
  await ok(await t.http.patch(`/api/v1/sessions/${session.id}`).set(bearer(team.mediator)).send({ status: 'held', notes: '双方到场' }), 'held');
  if (state === 'in_mediation') return result;
  const detail = await ok(
    await t.http.post(`/api/v1/cases/${c.id}/agreement`).set(bearer(team.mediator)).send({ terms: '一次性支付', agreedAmount: '10000.00', signedAt: new Date().toISOString(), installments: [] }),
    'agreement',
  );
  result.agreementId = detail.agreement.id;
  if (state === 'agreement_reached') return result;
  await ok(await t.http.post(`/api/v1/cases/${c.id}/confirmation-request`).set(bearer(team.mediator)).send({}), 'confirmation request');
  const conf = await ok(await t.http.get(`/api/v1/cases/${c.id}`).set(bearer(team.mediator)), 'get');
  result.confirmationId = conf.confirmation.id;
  if (state === 'confirmation_requested') return result;
  // The court accepts the request (受理) before it rules (法释〔2011〕5号 arts. 4-5).
  await ok(
    await t.http.post(`/api/v1/confirmations/${result.confirmationId}/acceptance`).set(bearer(team.clerk)).send({ decision: 'accepted', acceptanceNumber: `(2026)测民特调确${Math.floor(Math.random() * 1e6)}号` }),
    'acceptance',
  );
  if (state === 'confirmation_accepted') return result;
  const decision = state === 'confirmed' ? 'confirmed' : 'rejected';
  await ok(
    await t.http.post(`/api/v1/confirmations/${result.confirmationId}/ruling`).set(bearer(team.clerk)).send({ decision, rulingNumber: `(2026)测民特${Math.floor(Math.random() * 1e6)}号`, reason: decision === 'rejected' ? '协议内容违反法律规定' : undefined }),
    'ruling',
  );
  return result;
}
