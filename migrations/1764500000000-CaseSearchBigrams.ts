import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Searching the case list for one or two characters (`张`, `张伟`): the trigram index
 * (cases_search_trgm_idx) cannot serve a pattern under three characters, so such a search
 * scanned every case. `case_search_grams` lists the distinct characters and pairs of adjacent
 * characters (lower-cased) inside each of the searchable fields: case number, applicant,
 * respondent, court case number. A pair never spans two fields. The GIN index over it answers
 * `case_search_grams(...) @> ARRAY[term]` for a term of one or two characters exactly (no recheck):
 * the term occurs inside one of the fields. An expression index rather than a stored column, so
 * that the cases table (read by the list, the statistics and the exports) does not grow.
 */
export class CaseSearchBigrams1764500000000 implements MigrationInterface {
  name = 'CaseSearchBigrams1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // Indexing a province's million cases takes longer than the app's statement timeout.
    await q.query(`SET LOCAL statement_timeout = 0`);
    await q.query(`
      CREATE FUNCTION case_search_grams(VARIADIC fields text[]) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT g), '{}')
          FROM (SELECT substr(lower(f), i, n) AS g
                  FROM unnest(fields) AS f, generate_series(1, 2) AS n, generate_series(1, length(f) - n + 1) AS i
                 WHERE f IS NOT NULL) grams
      $$`);
    // fastupdate off: a case brings some 60 entries, which would fill the pending list quickly, and
    // the intake or change that happens to flush it would hold its locks (the case, the list
    // counters) for the whole flush; entered one case at a time instead, each write costs the same.
    await q.query(
      `CREATE INDEX cases_search_grams_idx ON cases USING gin (case_search_grams(case_number, applicant_name, respondent_name, court_case_number)) WITH (fastupdate = off)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_search_grams_idx`);
    await q.query(`DROP FUNCTION case_search_grams(VARIADIC text[])`);
  }
}
