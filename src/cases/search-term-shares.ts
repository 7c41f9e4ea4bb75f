import { Injectable } from '@nestjs/common';
import { CasesRepository } from '../case-core/cases.repository';
import { Clock } from '../common/clock';

/** How long the grams' shares are reused: they move with ANALYZE, which follows days of intake, not minutes. */
export const SEARCH_TERM_SHARES_TTL_MS = 10 * 60_000;

/**
 * The share of the cases holding a one- or two-character term, from the planner's statistics of the
 * grams index, read once every SEARCH_TERM_SHARES_TTL_MS: what searchPlansFor chooses a search's plan
 * by. A term outside the common ones counts as rare (0).
 */
@Injectable()
export class SearchTermShares {
  private shares: Map<string, number> | null = null;
  private readAt = 0;
  private reading: Promise<Map<string, number>> | null = null;

  constructor(
    private readonly cases: CasesRepository,
    private readonly clock: Clock,
  ) {}

  async share(term: string): Promise<number> {
    const shares = this.shares && this.clock.now().getTime() - this.readAt < SEARCH_TERM_SHARES_TTL_MS ? this.shares : await this.read();
    return shares.get(term.toLowerCase()) ?? 0;
  }

  /** Forgets the shares read (after an ANALYZE, in tests). */
  forget(): void {
    this.shares = null;
  }

  private read(): Promise<Map<string, number>> {
    this.reading ??= this.cases
      .searchGramShares()
      .then((shares) => {
        this.shares = shares;
        this.readAt = this.clock.now().getTime();
        return shares;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }
}
