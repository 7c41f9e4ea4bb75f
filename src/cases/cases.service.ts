import { Injectable } from '@nestjs/common';
import { AuthUser } from '../accounts-core/auth-user';
import { Role } from '../accounts-core/role.enum';
import { canSeeCase } from '../accounts-core/scope';
import { CaseEventsRepository } from '../case-core/case-events.repository';
import { allowedActionsFor } from '../case-core/case-lifecycle';
import { revealFor, toAgreementView, toCaseAttachmentView, toCaseView, toConfirmationView, toEventView, toSessionView } from '../case-core/case-view';
import { Case } from '../case-core/case.entity';
import { CasesRepository, listTotalSql } from '../case-core/cases.repository';
import { Clock } from '../common/clock';
import { forbidden, invalidInput, notFound } from '../common/errors/domain-error';
import { InteractiveRequests } from '../heavy-reads/interactive-requests';
import { buildCaseFilter, buildCounterTotal, countableFromCounters, countCapFor, listHeavyRead, listWindowFor, MAX_LIST_WINDOW, searchPlansFor, shortSearchTerm } from './case-query';
import { ListCasesQuery } from './dto/list-cases.query';
import { SearchTermShares } from './search-term-shares';

export { MAX_LIST_WINDOW } from './case-query';

/**
 * Reading cases as the actor may see them: the list, one case with its records, its timeline,
 * the mediators to suggest. The changes are in case-intake, case-transitions, case-court and
 * case-corrections.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly events_: CaseEventsRepository,
    private readonly clock: Clock,
    private readonly searchTerms: SearchTermShares,
    private readonly interactive: InteractiveRequests,
  ) {}

  async list(actor: AuthUser, query: ListCasesQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const offset = (page - 1) * pageSize;
    const window = listWindowFor(query);
    if (offset + pageSize > window) {
      throw window === MAX_LIST_WINDOW
        ? invalidInput(`The list pages through the first ${window} cases: narrow the filters, or use the CSV export for everything`, { field: 'page' })
        : invalidInput(`A search pages through its first ${window} matches: add a condition`, { field: 'page' }, `搜索结果只列出前 ${window} 条，请增加条件缩小范围`);
    }
    const term = shortSearchTerm(query);
    const plans = searchPlansFor(actor, query, term === null ? 0 : await this.searchTerms.share(term));
    const pageFilter = buildCaseFilter(actor, query, 'c', plans.page);
    const countFilter = plans.count === plans.page ? pageFilter : buildCaseFilter(actor, query, 'c', plans.count);
    // Written out rather than `{ ...filter, fromCounters }`: on node 20 such a spread with a key
    // added makes a hidden class of its own on every call (see get below).
    const fromCounters = countableFromCounters(actor, query);
    const totalWhere = fromCounters ? buildCounterTotal(actor, query) : countFilter;
    const totalFilter = { where: totalWhere.where, params: totalWhere.params, fromCounters };
    const cap = countCapFor(query);
    const totalSql = listTotalSql(totalFilter, cap);
    // Page and total are one statement on one backend (listPageAndTotalSql): one round trip, and a
    // search takes one backend while others are working (it also waits for a gap before it starts,
    // HeavyReadsInterceptor). A search on an idle instance reads both at once on two backends,
    // since its count can take as long as its page (issue 17: unloaded search p50).
    const apart = listHeavyRead({ q: query.q }) === 'search' && !this.interactive.recentlyBusy();
    const { rows, total } = apart
      ? await this.cases.listPageAndTotalApart(pageFilter, pageSize, offset, totalSql)
      : await this.cases.listPageAndTotal(pageFilter, pageSize, offset, totalSql);
    // Lists always mask identity numbers.
    return { items: rows.map((c) => toCaseView(c, false)), total, totalCapped: cap !== null && total >= cap, page, pageSize };
  }

  async findVisible(actor: AuthUser, id: string): Promise<Case> {
    const c = await this.cases.findById(id);
    if (!c || !canSeeCase(actor, c)) throw notFound('Case');
    return c;
  }

  async get(actor: AuthUser, id: string) {
    // One statement; only shown, so the instants stay the ISO strings they are written as, no Dates (issue 17).
    const read = await this.cases.findForView(id);
    if (!read || !canSeeCase(actor, read.row)) throw notFound('Case');
    const c = read.row;
    const { sessions, agreement, confirmation, attachments } = read.records;
    // The case's view with the records added to it (the same keys, in the same order, as
    // `{ ...toCaseView(...), allowedActions, ... }`), not a spread copy of it: on node 20's V8 each
    // such spread result got a hidden class (map and descriptor array, ~7 KB in the old
    // generation) of its own, made anew on every case read, so that whatever read the answer
    // afterwards (serialization, the identity audit's check) met a new shape each time (issue 17).
    // Object.assign adds the properties through the view's cached transitions: one shape for all.
    return Object.assign(toCaseView(c, revealFor(actor, c)), {
      // What this user may do with the case now (the web page shows exactly these actions).
      allowedActions: allowedActionsFor(c, actor),
      sessions: sessions.map(toSessionView),
      agreement: agreement ? toAgreementView(agreement, agreement.installments, this.clock.now()) : null,
      confirmation: confirmation ? toConfirmationView(confirmation, c.caseNumber) : null,
      attachments: attachments.map(toCaseAttachmentView),
      // The server's clock: the page offers what depends on time (a session's outcome from its start) by it, not by the device's.
      serverTime: this.clock.now(),
    });
  }

  async events(actor: AuthUser, id: string) {
    await this.findVisible(actor, id);
    const events = await this.events_.listForCase(id);
    const names = await this.events_.actorNames(events.map((e) => e.actorId));
    return events.map((e) => toEventView(e, e.actorId ? (names.get(e.actorId) ?? null) : null));
  }

  /**
   * Active mediators of the case's workstation: those whose roster specialties include the case's
   * dispute type first, then by open caseload, experience with the type, cases concluded.
   */
  async mediatorSuggestions(actor: AuthUser, id: string) {
    const c = await this.findVisible(actor, id);
    if (actor.role === Role.Mediator) throw forbidden('Only union staff assign mediators');
    const rows = await this.cases.mediatorCaseloads(c.workstationId, c.disputeType);
        return rows.map((r, i) => ({
      rank: i + 1,
      mediatorId: r.id,
      displayName: r.display_name,
      specialist: r.specialist,
      specialties: r.specialties,
      invited: r.invited,
      openCases: r.open_cases,
      sameDisputeTypeCases: r.same_type_cases,
      concludedCases: r.concluded_cases,
      current: r.id === c.mediatorId,
    }));
  }
}
