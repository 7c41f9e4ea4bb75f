import { Role } from '../src/accounts-core/role.enum';
import { caseBody, caseInState } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TEST_PASSWORD, TestUser } from './utils/factories';
import { fetchOpenApiDocument, OpenApiDocument, OpenApiResponseValidator, operationKeys } from './utils/openapi';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(120_000);

/**
 * The OpenAPI document is true: a real answer of every operation (and the usual errors) matches
 * the schema the document gives for its status and media type. Objects admit no undocumented
 * properties here, so that a field added to an answer without its documentation fails too.
 */
describe('OpenAPI document: real responses match their documented schemas (e2e)', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let validator: OpenApiResponseValidator;
  const checked = new Set<string>();
  const failures: string[] = [];

  type Res = { status: number; body: unknown; headers: Record<string, string | string[] | undefined>; text?: string };
  /** Checks one answer against the document and remembers that its operation was covered. */
  function check<R extends Res>(method: string, path: string, res: R, expectedStatus: number): R {
    const result = validator.check(method, path, res);
    if (res.status !== expectedStatus) failures.push(`${result.key}: expected status ${expectedStatus}, body ${JSON.stringify(res.body).slice(0, 300)}`);
    for (const e of result.errors) failures.push(`${result.key}: ${e}`);
    if (res.status < 300) checked.add(`${method.toUpperCase()} ${path}`);
    return res;
  }

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    doc = await fetchOpenApiDocument(t);
    validator = new OpenApiResponseValidator(doc);
  });
  afterAll(() => t?.close());

  it('walks every operation with a small data set and finds every answer as documented', async () => {
    const team = await makeWorkstationTeam(t);
    const admin = await makeUser(t, Role.Admin, null);
    const cityStaff = await makeUser(t, Role.UnionStaff, null);
    const api = (p: string) => `/api/v1${p}`;
    const as = (u: TestUser) => bearer(u);

    // Accounts
    check('post', '/api/v1/auth/login', await t.http.post(api('/auth/login')).send({ username: team.staff.username, password: TEST_PASSWORD }), 200);
    check('post', '/api/v1/auth/login', await t.http.post(api('/auth/login')).send({ username: team.staff.username, password: 'wrong-password' }), 401);
    check('post', '/api/v1/auth/login', await t.http.post(api('/auth/login')).send({ username: team.staff.username }), 400);
    check('get', '/api/v1/auth/me', await t.http.get(api('/auth/me')).set(as(team.mediator)), 200);
    check('get', '/api/v1/auth/me', await t.http.get(api('/auth/me')), 401);
    check('post', '/api/v1/users', await t.http.post(api('/users')).set(as(admin)).send({ username: 'oa.mediator', password: 'a-long-password-1', displayName: '王调解', role: 'mediator', workstationId: team.ws.id, phone: '13900000000' }), 201);
    check('post', '/api/v1/users', await t.http.post(api('/users')).set(as(admin)).send({ username: 'OA.Mediator', password: 'a-long-password-1', displayName: '重名', role: 'union_staff' }), 409);
    check('post', '/api/v1/users', await t.http.post(api('/users')).set(as(team.staff)).send({ username: 'nobody', password: 'a-long-password-1', displayName: 'x', role: 'admin' }), 403);
    check('get', '/api/v1/users', await t.http.get(api('/users')).set(as(admin)), 200);
    check('get', '/api/v1/users', await t.http.get(api(`/users?role=mediator&workstationId=${team.ws.id}`)).set(as(team.staff)), 200);
    check('post', '/api/v1/workstations', await t.http.post(api('/workstations')).set(as(admin)).send({ code: 'OA-WS', name: '文档工作室', court: '某区人民法院', union: '某区总工会', region: '某省某市某区' }), 201);
    check('post', '/api/v1/workstations', await t.http.post(api('/workstations')).set(as(admin)).send({ code: 'OA-WS', name: '重复', court: 'c', union: 'u', region: 'r' }), 409);
    check('get', '/api/v1/workstations', await t.http.get(api('/workstations')).set(as(team.clerk)), 200);
    check('get', '/api/v1/workstations', await t.http.get(api('/workstations')).set(as(admin)), 200);

    // Account changes, the roster, service accounts, the audit log
    const spare = await makeUser(t, Role.Mediator, team.ws.id);
    check('patch', '/api/v1/users/{id}', await t.http.patch(api(`/users/${spare.id}`)).set(as(admin)).send({ displayName: '改名调解员', phone: '13911112222' }), 200);
    check('patch', '/api/v1/users/{id}', await t.http.patch(api(`/users/${spare.id}`)).set(as(admin)).send({ role: 'emperor' }), 400);
    check('get', '/api/v1/mediators', await t.http.get(api(`/mediators?workstationId=${team.ws.id}`)).set(as(team.staff)), 200);
    check('patch', '/api/v1/mediators/{id}', await t.http.patch(api(`/mediators/${spare.id}`)).set(as(team.staff)).send({ specialties: ['wage_arrears'], invited: true, organisation: '某律师事务所' }), 200);
    check('patch', '/api/v1/mediators/{id}', await t.http.patch(api(`/mediators/${spare.id}`)).set(as(team.staff)).send({ specialties: ['astrology'] }), 400);
    const spareLogin = await t.http.post(api('/auth/login')).send({ username: spare.username, password: TEST_PASSWORD }).expect(200);
    const spareAuth = { Authorization: `Bearer ${spareLogin.body.accessToken}` };
    check('post', '/api/v1/auth/password', await t.http.post(api('/auth/password')).set(spareAuth).send({ currentPassword: TEST_PASSWORD, newPassword: '12345678' }), 400);
    const changed = check('post', '/api/v1/auth/password', await t.http.post(api('/auth/password')).set(spareAuth).send({ currentPassword: TEST_PASSWORD, newPassword: 'tiaojie-new-password-7' }), 200);
    check('post', '/api/v1/auth/logout', await t.http.post(api('/auth/logout')).set({ Authorization: `Bearer ${(changed.body as { accessToken: string }).accessToken}` }), 200);
    check('post', '/api/v1/users/{id}/password-reset', await t.http.post(api(`/users/${spare.id}/password-reset`)).set(as(admin)), 200);
    check('post', '/api/v1/users/{id}/password-reset', await t.http.post(api(`/users/${spare.id}/password-reset`)).set(as(team.staff)), 403);
    const account = check('post', '/api/v1/service-accounts', await t.http.post(api('/service-accounts')).set(as(admin)).send({ name: '测试法院立案系统', role: 'court_clerk', workstationIds: [team.ws.id] }), 201);
    check('post', '/api/v1/service-accounts', await t.http.post(api('/service-accounts')).set(as(admin)).send({ name: 'x', role: 'admin', workstationIds: [team.ws.id] }), 400);
    check('get', '/api/v1/service-accounts', await t.http.get(api('/service-accounts')).set(as(admin)), 200);
    check('delete', '/api/v1/service-accounts/{id}', await t.http.delete(api(`/service-accounts/${(account.body as { id: string }).id}`)).set(as(admin)), 200);
    check('get', '/api/v1/audit', await t.http.get(api('/audit?action=auth.login')).set(as(admin)), 200);
    check('get', '/api/v1/audit', await t.http.get(api('/audit')).set(as(team.staff)), 403);

    // Intake, list, read
    const created = check('post', '/api/v1/cases', await t.http.post(api('/cases')).set(as(team.staff)).send(caseBody(team.ws.id, { receivedAt: new Date(Date.now() - 3600_000).toISOString() })), 201);
    const caseId = (created.body as { id: string }).id;
    check(
      'post',
      '/api/v1/cases',
      await t.http
        .post(api('/cases'))
        .set(as(team.clerk))
        .send(caseBody(team.ws.id, { source: 'court_entrusted', courtCaseNumber: '(2026)测0102民初1号', simpleProcedure: true, workerCount: undefined, applicant: { name: '李四' }, respondent: { name: '某公司' } })),
      201,
    );
    check('post', '/api/v1/cases', await t.http.post(api('/cases')).set(as(team.staff)).send(caseBody(team.ws.id, { claimAmount: 12500 })), 400);
    check('post', '/api/v1/cases', await t.http.post(api('/cases')).set(as(team.mediator)).send(caseBody(team.ws.id)), 403);
    check('get', '/api/v1/cases', await t.http.get(api('/cases?status=registered,assigned&page=1&pageSize=5')).set(as(team.staff)), 200);
    check('get', '/api/v1/cases', await t.http.get(api('/cases?q=申请人')).set(as(cityStaff)), 200);
    // The status filter as generated clients send an array (the parameter repeated) and as commas.
    const repeated = check('get', '/api/v1/cases', await t.http.get(api('/cases?status=registered&status=assigned')).set(as(team.staff)), 200);
    const commas = check('get', '/api/v1/cases', await t.http.get(api('/cases?status=registered,assigned')).set(as(team.staff)), 200);
    expect((repeated.body as { total: number }).total).toBe(2);
    expect((commas.body as { total: number }).total).toBe(2);
    check('get', '/api/v1/cases', await t.http.get(api('/cases?pageSize=101')).set(as(team.staff)), 400);
    check('get', '/api/v1/cases/{id}', await t.http.get(api(`/cases/${caseId}`)).set(as(team.staff)), 200);
    check('get', '/api/v1/cases/{id}', await t.http.get(api('/cases/00000000-0000-4000-8000-000000000000')).set(as(team.staff)), 404);
    check('get', '/api/v1/cases/{id}', await t.http.get(api('/cases/not-a-uuid')).set(as(team.staff)), 400);
    check('get', '/api/v1/cases/{id}/mediator-suggestions', await t.http.get(api(`/cases/${caseId}/mediator-suggestions`)).set(as(team.staff)), 200);
    check('get', '/api/v1/cases/{id}/mediator-suggestions', await t.http.get(api(`/cases/${caseId}/mediator-suggestions`)).set(as(team.mediator)), 403);

    // Assignment, notes, sessions
    check('post', '/api/v1/cases/{id}/assign', await t.http.post(api(`/cases/${caseId}/assign`)).set(as(team.staff)).send({ mediatorId: team.mediator.id, expectedVersion: 1 }), 200);
    check('post', '/api/v1/cases/{id}/assign', await t.http.post(api(`/cases/${caseId}/assign`)).set(as(team.staff)).set('If-Match', '1').send({ mediatorId: team.mediator2.id }), 409);
    check('post', '/api/v1/cases/{id}/notes', await t.http.post(api(`/cases/${caseId}/notes`)).set(as(team.mediator)).send({ text: '电话联系用人单位', contactedParty: 'respondent' }), 201);
    const session = check(
      'post',
      '/api/v1/cases/{id}/sessions',
      await t.http.post(api(`/cases/${caseId}/sessions`)).set(as(team.mediator)).send({ scheduledAt: new Date(Date.now() - 1800_000).toISOString(), mode: 'onsite', location: '调解室' }),
      201,
    );
    const sessionId = (session.body as { id: string }).id;
    check('patch', '/api/v1/sessions/{id}', await t.http.patch(api(`/sessions/${sessionId}`)).set(as(team.mediator)).send({ status: 'held', notes: '双方到场' }), 200);
    check('patch', '/api/v1/sessions/{id}', await t.http.patch(api(`/sessions/${sessionId}`)).set(as(team.mediator)).send({ status: 'cancelled' }), 409);
    check('patch', '/api/v1/sessions/{id}', await t.http.patch(api(`/sessions/${sessionId}`)).set(as(team.mediator)).send({ color: 'red' }), 400);
    const later = check(
      'post',
      '/api/v1/cases/{id}/sessions',
      await t.http.post(api(`/cases/${caseId}/sessions`)).set(as(team.mediator)).send({ scheduledAt: new Date(Date.now() + 86400_000).toISOString(), mode: 'video' }),
      201,
    );
    check('patch', '/api/v1/sessions/{id}', await t.http.patch(api(`/sessions/${(later.body as { id: string }).id}`)).set(as(team.mediator)).send({ scheduledAt: new Date(Date.now() + 2 * 86400_000).toISOString() }), 200);
    check('post', '/api/v1/cases/{id}/extension', await t.http.post(api(`/cases/${caseId}/extension`)).set(as(team.mediator)).send({ days: 10, reason: '双方同意延长', agreedBy: ['applicant', 'respondent'] }), 200);
    check('post', '/api/v1/cases/{id}/extension', await t.http.post(api(`/cases/${caseId}/extension`)).set(as(team.mediator)).send({ days: 10, reason: '只有一方同意', agreedBy: ['applicant'] }), 400);

    // Agreement with a payment plan, a payment, the confirmation request, the queue, the ruling
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const detail = check(
      'post',
      '/api/v1/cases/{id}/agreement',
      await t.http
        .post(api(`/cases/${caseId}/agreement`))
        .set(as(team.mediator))
        .send({ terms: '分两期支付', agreedAmount: '10000.00', signedAt: new Date().toISOString(), installments: [{ dueDate: today, amount: '4000.00' }, { dueDate: '2099-12-31', amount: '6000' }] }),
      201,
    );
    const agreementId = (detail.body as { agreement: { id: string } }).agreement.id;
    check('post', '/api/v1/cases/{id}/agreement', await t.http.post(api(`/cases/${caseId}/agreement`)).set(as(team.mediator)).send({ terms: '再来一次', agreedAmount: '1.00', signedAt: new Date().toISOString() }), 409);
    check('post', '/api/v1/agreements/{id}/installments/{n}/payment', await t.http.post(api(`/agreements/${agreementId}/installments/1/payment`)).set(as(team.mediator)).send({ paidAt: new Date().toISOString() }), 200);
    check('post', '/api/v1/agreements/{id}/installments/{n}/payment', await t.http.post(api(`/agreements/${agreementId}/installments/9/payment`)).set(as(team.mediator)).send({ paidAt: new Date().toISOString() }), 404);
    check('post', '/api/v1/cases/{id}/confirmation-request', await t.http.post(api(`/cases/${caseId}/confirmation-request`)).set(as(team.mediator)).send({}), 201);
    check('get', '/api/v1/cases/{id}', await t.http.get(api(`/cases/${caseId}`)).set(as(team.mediator)), 200);
    const queue = check('get', '/api/v1/confirmations', await t.http.get(api('/confirmations?status=pending')).set(as(team.clerk)), 200);
    const confirmationId = (queue.body as { items: Array<{ id: string }> }).items[0].id;
    check('post', '/api/v1/confirmations/{id}/ruling', await t.http.post(api(`/confirmations/${confirmationId}/ruling`)).set(as(team.clerk)).send({ decision: 'confirmed', rulingNumber: '(2026)测民特1号' }), 409);
    check('post', '/api/v1/confirmations/{id}/acceptance', await t.http.post(api(`/confirmations/${confirmationId}/acceptance`)).set(as(team.clerk)).send({ decision: 'accepted' }), 400);
    check('post', '/api/v1/confirmations/{id}/acceptance', await t.http.post(api(`/confirmations/${confirmationId}/acceptance`)).set(as(team.clerk)).send({ decision: 'accepted', acceptanceNumber: '(2026)测民特调确1号' }), 200);
    check('post', '/api/v1/confirmations/{id}/extension', await t.http.post(api(`/confirmations/${confirmationId}/extension`)).set(as(team.clerk)).send({ reason: '案情复杂，经批准延长' }), 200);
    check('post', '/api/v1/confirmations/{id}/extension', await t.http.post(api(`/confirmations/${confirmationId}/extension`)).set(as(team.clerk)).send({ reason: '再次延长' }), 409);
    check('post', '/api/v1/confirmations/{id}/ruling', await t.http.post(api(`/confirmations/${confirmationId}/ruling`)).set(as(team.clerk)).send({ decision: 'rejected', rulingNumber: '(2026)测民特1号' }), 400);
    check('post', '/api/v1/confirmations/{id}/ruling', await t.http.post(api(`/confirmations/${confirmationId}/ruling`)).set(as(team.clerk)).send({ decision: 'confirmed', rulingNumber: '(2026)测民特1号' }), 200);
    check('post', '/api/v1/confirmations/{id}/ruling', await t.http.post(api(`/confirmations/${confirmationId}/ruling`)).set(as(team.clerk)).send({ decision: 'rejected', rulingNumber: '(2026)测民特1号', reason: '改判' }), 409);
    check('post', '/api/v1/confirmations/{id}/ruling', await t.http.post(api(`/confirmations/${confirmationId}/ruling`)).set(as(team.mediator)).send({ decision: 'confirmed', rulingNumber: 'x' }), 403);
    check('get', '/api/v1/confirmations', await t.http.get(api('/confirmations')).set(as(admin)), 200);
    check('get', '/api/v1/cases/{id}', await t.http.get(api(`/cases/${caseId}`)).set(as(team.clerk)), 200);
    check('get', '/api/v1/cases/{id}/events', await t.http.get(api(`/cases/${caseId}/events`)).set(as(team.staff)), 200);

    // Corrections, voiding, the waiver, renegotiation after a rejection, the court's outcome of an entrusted case
    const toCorrect = await caseInState(t, team, 'registered');
    check('patch', '/api/v1/cases/{id}', await t.http.patch(api(`/cases/${toCorrect.id}`)).set(as(team.staff)).send({ applicant: { name: '张三丰' }, summary: '更正后的案情' }), 200);
    check('patch', '/api/v1/cases/{id}', await t.http.patch(api(`/cases/${toCorrect.id}`)).set(as(team.staff)).send({ claimAmount: 12.5 }), 400);
    check('post', '/api/v1/cases/{id}/void', await t.http.post(api(`/cases/${toCorrect.id}/void`)).set(as(team.staff)).send({ reason: '重复登记' }), 200);
    check('post', '/api/v1/cases/{id}/void', await t.http.post(api(`/cases/${toCorrect.id}/void`)).set(as(team.staff)).send({ reason: '再次作废' }), 409);
    const toWaive = await caseInState(t, team, 'agreement_reached');
    check('post', '/api/v1/cases/{id}/confirmation-waiver', await t.http.post(api(`/cases/${toWaive.id}/confirmation-waiver`)).set(as(team.mediator)).send({ reason: '双方自愿履行' }), 200);
    const rejected = await caseInState(t, team, 'confirmation_rejected');
    check('post', '/api/v1/cases/{id}/renegotiation', await t.http.post(api(`/cases/${rejected.id}/renegotiation`)).set(as(team.mediator)).send({ reason: '双方重新协商' }), 200);
    check('post', '/api/v1/cases/{id}/renegotiation', await t.http.post(api(`/cases/${rejected.id}/renegotiation`)).set(as(team.mediator)).send({ reason: '再次' }), 409);
    const entrusted = check(
      'post',
      '/api/v1/cases',
      await t.http.post(api('/cases')).set(as(team.clerk)).send(caseBody(team.ws.id, { source: 'court_entrusted', courtCaseNumber: '(2026)测0102民初9号', applicant: { name: '王五' }, respondent: { name: '某厂' } })),
      201,
    );
    const entrustedId = (entrusted.body as { id: string }).id;
    await t.http.post(api(`/cases/${entrustedId}/assign`)).set(as(team.staff)).send({ mediatorId: team.mediator.id }).expect(200);
    await t.http
      .post(api(`/cases/${entrustedId}/agreement`))
      .set(as(team.mediator))
      .send({ terms: '一次性支付', agreedAmount: '3000.00', signedAt: new Date().toISOString() })
      .expect(201);
    check('post', '/api/v1/cases/{id}/confirmation-request', await t.http.post(api(`/cases/${entrustedId}/confirmation-request`)).set(as(team.mediator)).send({}), 409);
    check('post', '/api/v1/cases/{id}/court-outcome', await t.http.post(api(`/cases/${entrustedId}/court-outcome`)).set(as(team.clerk)).send({ outcome: 'mediation_document', date: '2026-13-45' }), 400);
    check('post', '/api/v1/cases/{id}/court-outcome', await t.http.post(api(`/cases/${entrustedId}/court-outcome`)).set(as(team.clerk)).send({ outcome: 'mediation_document', documentNumber: '(2026)测0102民初9号', date: today }), 200);

    // Consultations, holidays, labels
    const consultation = check(
      'post',
      '/api/v1/consultations',
      await t.http.post(api('/consultations')).set(as(team.staff)).send({ workstationId: team.ws.id, channel: 'hotline', name: '赵六', phone: '13600000000', employer: '某物流公司', question: '被拖欠两个月工资怎么办', advice: '可申请调解', outcome: 'advice_only' }),
      201,
    );
    const consultationId = (consultation.body as { id: string }).id;
    check('post', '/api/v1/consultations', await t.http.post(api('/consultations')).set(as(team.staff)).send({ workstationId: team.ws.id, channel: 'fax', name: 'x', question: 'y', outcome: 'advice_only' }), 400);
    check('get', '/api/v1/consultations', await t.http.get(api('/consultations')).set(as(team.staff)), 200);
    check('get', '/api/v1/consultations/{id}', await t.http.get(api(`/consultations/${consultationId}`)).set(as(team.staff)), 200);
    check('post', '/api/v1/consultations/{id}/convert', await t.http.post(api(`/consultations/${consultationId}/convert`)).set(as(team.staff)).send({ disputeType: 'wage_arrears', claimAmount: '8000.00' }), 201);
    check('post', '/api/v1/consultations/{id}/convert', await t.http.post(api(`/consultations/${consultationId}/convert`)).set(as(team.staff)).send({ disputeType: 'wage_arrears', claimAmount: '8000.00' }), 409);
    check('get', '/api/v1/holidays', await t.http.get(api('/holidays?year=2026')).set(as(team.clerk)), 200);
    check('put', '/api/v1/holidays/{year}', await t.http.put(api('/holidays/2027')).set(as(admin)).send({ days: [{ day: '2027-01-01', kind: 'holiday', name: '元旦' }] }), 200);
    check('put', '/api/v1/holidays/{year}', await t.http.put(api('/holidays/2027')).set(as(team.staff)).send({ days: [] }), 403);
    check('get', '/api/v1/labels', await t.http.get(api('/labels')), 200);

    // Failure and withdrawal
    const toFail = await caseInState(t, team, 'assigned');
    check('post', '/api/v1/cases/{id}/failure', await t.http.post(api(`/cases/${toFail.id}/failure`)).set(as(team.mediator)).send({ reason: '用人单位拒绝调解' }), 200);
    check('post', '/api/v1/cases/{id}/failure', await t.http.post(api(`/cases/${toFail.id}/failure`)).set(as(team.mediator)).send({ reason: '再次' }), 409);
    const toWithdraw = await caseInState(t, team, 'registered');
    check('post', '/api/v1/cases/{id}/withdrawal', await t.http.post(api(`/cases/${toWithdraw.id}/withdrawal`)).set(as(team.staff)).send({ reason: '申请人撤回' }), 200);
    check('get', '/api/v1/cases/{id}/mediator-suggestions', await t.http.get(api(`/cases/${toWithdraw.id}/mediator-suggestions`)).set(as(admin)), 200);

    // Notifications (the mediator was notified of the assignment)
    const mine = check('get', '/api/v1/notifications', await t.http.get(api('/notifications?unread=true')).set(as(team.mediator)), 200);
    const notificationId = (mine.body as { items: Array<{ id: string }> }).items[0].id;
    check('post', '/api/v1/notifications/{id}/read', await t.http.post(api(`/notifications/${notificationId}/read`)).set(as(team.mediator)), 200);
    check('post', '/api/v1/notifications/{id}/read', await t.http.post(api(`/notifications/${notificationId}/read`)).set(as(team.staff)), 404);
    check('post', '/api/v1/notifications/read-all', await t.http.post(api('/notifications/read-all')).set(as(team.mediator)), 200);
    check('get', '/api/v1/notifications', await t.http.get(api('/notifications?unread=maybe')).set(as(team.mediator)), 400);

    // Statistics and the export
    check('get', '/api/v1/stats/summary', await t.http.get(api(`/stats/summary?workstationId=${team.ws.id}`)).set(as(team.staff)), 200);
    check('get', '/api/v1/stats/summary', await t.http.get(api('/stats/summary')).set(as(team.mediator)), 200);
    check('get', '/api/v1/stats/summary', await t.http.get(api('/stats/summary?from=2026-12-31&to=2026-01-01')).set(as(team.staff)), 400);
    check('get', '/api/v1/stats/timeseries', await t.http.get(api('/stats/timeseries?interval=month')).set(as(admin)), 200);
    for (const by of ['disputeType', 'mediator', 'workstation']) {
      check('get', '/api/v1/stats/breakdown', await t.http.get(api(`/stats/breakdown?by=${by}`)).set(as(cityStaff)), 200);
    }
    check('get', '/api/v1/stats/breakdown', await t.http.get(api('/stats/breakdown?by=color')).set(as(admin)), 400);
    check('post', '/api/v1/stats/recompute', await t.http.post(api('/stats/recompute')).set(as(team.staff)).send({ from: '2026-01-01', to: '2026-01-31' }), 202);
    check('post', '/api/v1/stats/recompute', await t.http.post(api('/stats/recompute')).set(as(team.mediator)).send({ from: '2026-01-01', to: '2026-01-31' }), 403);
    const csv = check('get', '/api/v1/cases/export.csv', await t.http.get(api('/cases/export.csv?status=confirmed')).set(as(team.staff)), 200);
    expect(csv.text?.startsWith('\uFEFF')).toBe(true);
    check('get', '/api/v1/cases/export.csv', await t.http.get(api('/cases/export.csv?disputeType=nothing')).set(as(team.staff)), 400);

    // Documents, attachments and the spreadsheets
    const binary = (req: import('supertest').Test) => req.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    check('get', '/api/v1/cases/{id}/documents/{kind}.pdf', await binary(t.http.get(api(`/cases/${caseId}/documents/registration.pdf`)).set(as(team.staff))), 200);
    check('get', '/api/v1/cases/{id}/documents/{kind}.pdf', await binary(t.http.get(api(`/cases/${caseId}/documents/agreement.pdf`)).set(as(team.mediator))), 200);
    check('get', '/api/v1/cases/{id}/documents/{kind}.pdf', await t.http.get(api(`/cases/${caseId}/documents/failure-notice.pdf`)).set(as(team.staff)), 409);
    // A mediator the case is not assigned to does not learn that it exists.
    check('get', '/api/v1/cases/{id}/documents/{kind}.pdf', await t.http.get(api(`/cases/${caseId}/documents/registration.pdf`)).set(as(team.mediator2)), 404);
    check('get', '/api/v1/stats/report.pdf', await binary(t.http.get(api(`/stats/report.pdf?workstationId=${team.ws.id}`)).set(as(team.staff))), 200);
    check('get', '/api/v1/stats/report.xlsx', await binary(t.http.get(api(`/stats/report.xlsx?workstationId=${team.ws.id}`)).set(as(team.staff))), 200);
    check('get', '/api/v1/cases/export.xlsx', await binary(t.http.get(api('/cases/export.xlsx?status=confirmed')).set(as(team.staff))), 200);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
    const uploaded = check(
      'post',
      '/api/v1/cases/{id}/attachments',
      await t.http.post(api(`/cases/${caseId}/attachments`)).set(as(team.mediator)).field('kind', 'evidence').attach('file', png, { filename: '证据.png', contentType: 'image/png' }),
      201,
    );
    check(
      'post',
      '/api/v1/cases/{id}/attachments',
      await t.http.post(api(`/cases/${caseId}/attachments`)).set(as(team.mediator)).field('kind', 'evidence').attach('file', Buffer.from('MZ not a pdf'), { filename: 'a.pdf', contentType: 'application/pdf' }),
      415,
    );
    check('get', '/api/v1/cases/{id}/attachments', await t.http.get(api(`/cases/${caseId}/attachments`)).set(as(team.staff)), 200);
    // The case with an attachment in its attachments[] (the schema of each entry checked as well).
    const withAttachment = check('get', '/api/v1/cases/{id}', await t.http.get(api(`/cases/${caseId}`)).set(as(team.staff)), 200);
    expect((withAttachment.body as { attachments: unknown[] }).attachments.length).toBeGreaterThan(0);
    check('get', '/api/v1/attachments/{id}', await binary(t.http.get(api(`/attachments/${(uploaded.body as { id: string }).id}`)).set(as(team.clerk))), 200);
    check('get', '/api/v1/attachments/{id}', await t.http.get(api('/attachments/00000000-0000-4000-8000-000000000000')).set(as(team.clerk)), 404);

    // Webhooks (admin): register, list, the delivery log, a dead letter sent again, removal
    const hook = check(
      'post',
      '/api/v1/webhooks',
      await t.http.post(api('/webhooks')).set(as(admin)).send({ url: 'http://127.0.0.1:9/hook', events: ['case.registered', 'case.failed'], secret: 'webhook-secret-0123456789', workstationId: team.ws.id }),
      201,
    );
    const hookId = (hook.body as { id: string }).id;
    check('post', '/api/v1/webhooks', await t.http.post(api('/webhooks')).set(as(admin)).send({ url: 'not a url', events: ['case.registered'], secret: 'webhook-secret-0123456789' }), 400);
    check('post', '/api/v1/webhooks', await t.http.post(api('/webhooks')).set(as(team.staff)).send({ url: 'http://127.0.0.1:9/hook', events: ['case.registered'], secret: 'webhook-secret-0123456789' }), 403);
    check('get', '/api/v1/webhooks', await t.http.get(api('/webhooks')).set(as(admin)), 200);
    await t.http.post(api('/cases')).set(as(team.staff)).send(caseBody(team.ws.id)).expect(201);
    const deliveries = check('get', '/api/v1/webhooks/{id}/deliveries', await t.http.get(api(`/webhooks/${hookId}/deliveries`)).set(as(admin)), 200);
    const deliveryId = (deliveries.body as { items: Array<{ id: string }> }).items[0].id;
    check('post', '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redelivery', await t.http.post(api(`/webhooks/${hookId}/deliveries/${deliveryId}/redelivery`)).set(as(admin)), 409);
    await t.db.query(`UPDATE webhook_deliveries SET status = 'dead', dead_at = now() WHERE id = $1`, [deliveryId]);
    check('post', '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redelivery', await t.http.post(api(`/webhooks/${hookId}/deliveries/${deliveryId}/redelivery`)).set(as(admin)), 202);
    check('delete', '/api/v1/webhooks/{id}', await t.http.delete(api(`/webhooks/${hookId}`)).set(as(admin)), 204);
    check('delete', '/api/v1/webhooks/{id}', await t.http.delete(api('/webhooks/00000000-0000-4000-8000-000000000000')).set(as(admin)), 404);

    // Outside the prefix
    check('get', '/health', await t.http.get('/health'), 200);
    check('get', '/health/ready', await t.http.get('/health/ready'), 200);

    expect(failures).toEqual([]);
    expect(operationKeys(doc).filter((k) => !checked.has(k))).toEqual([]);
  });
});

describe('OpenAPI response validator (the check itself)', () => {
  let t: TestApp;
  let validator: OpenApiResponseValidator;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    validator = new OpenApiResponseValidator(await fetchOpenApiDocument(t));
  });
  afterAll(() => t?.close());

  const json = { 'content-type': 'application/json; charset=utf-8' };
  const user = { id: '6f1c1d8e-3a4b-4c5d-8e9f-0a1b2c3d4e5f', username: 'u', displayName: 'U', role: 'mediator', workstationId: null, phone: null, active: true };

  it('accepts a documented answer and rejects an undocumented field, a missing field, a wrong enum, an undocumented status', () => {
    expect(validator.check('get', '/api/v1/auth/me', { status: 200, body: user, headers: json }).errors).toEqual([]);
    expect(validator.check('get', '/api/v1/auth/me', { status: 200, body: { ...user, passwordHash: 'x' }, headers: json }).errors).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
    const { active: _active, ...withoutActive } = user;
    expect(validator.check('get', '/api/v1/auth/me', { status: 200, body: withoutActive, headers: json }).errors).toEqual([expect.stringContaining("must have required property 'active'")]);
    expect(validator.check('get', '/api/v1/auth/me', { status: 200, body: { ...user, role: 'judge' }, headers: json }).errors).not.toEqual([]);
    expect(validator.check('get', '/api/v1/auth/me', { status: 418, body: {}, headers: json }).errors).toEqual([expect.stringContaining('status 418 is not documented')]);
  });
});

describe('OpenAPI document: the login limit answers as documented (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false, env: { LOGIN_RATE_LIMIT: '1' } });
  });
  afterAll(() => t?.close());

  it('answers 429 in the one error shape once the limit is reached', async () => {
    const validator = new OpenApiResponseValidator(await fetchOpenApiDocument(t));
    const body = { username: 'nobody', password: 'wrong-password' };
    const first = await t.http.post('/api/v1/auth/login').send(body);
    expect(validator.check('post', '/api/v1/auth/login', first)).toEqual({ key: 'POST /api/v1/auth/login 401', errors: [] });
    const limited = await t.http.post('/api/v1/auth/login').send(body);
    expect(validator.check('post', '/api/v1/auth/login', limited)).toEqual({ key: 'POST /api/v1/auth/login 429', errors: [] });
  });
});
