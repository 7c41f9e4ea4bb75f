import { LIST_TOTAL, listPageAndTotalSql, listTotalSql } from './cases.repository';

describe('listPageAndTotalSql: the list page and its total in one statement', () => {
  const columns = 'c.id AS "id", c.received_at AS "receivedAt"';

  it('shares the page filter\'s parameters with a count over the same filter', () => {
    const page = { where: 'c.workstation_id = $1 AND c.status = $2', params: ['ws-1', 'assigned'] };
    const total = listTotalSql({ ...page, fromCounters: false }, null);
    const { sql, params } = listPageAndTotalSql(columns, page, 20, 40, total);
    expect(params).toEqual(['ws-1', 'assigned', 20, 40]);
    expect(sql).toBe(
      `SELECT p.*, t.total AS "${LIST_TOTAL}" FROM (SELECT count(*)::int AS total FROM cases c WHERE c.workstation_id = $1 AND c.status = $2) t LEFT JOIN LATERAL ` +
        `(SELECT ${columns} FROM cases c WHERE c.workstation_id = $1 AND c.status = $2 ORDER BY c.received_at DESC, c.id DESC LIMIT $3 OFFSET $4) p ON true ` +
        `ORDER BY p."receivedAt" DESC, p.id DESC`,
    );
  });

  it('numbers the parameters of a total from the counters after the page\'s', () => {
    const page = { where: 'c.workstation_id = $1 AND c.status = ANY($2::varchar[])', params: ['ws-1', ['assigned', 'in_mediation']] };
    const total = listTotalSql({ where: 'workstation_id = $1 AND status = ANY($2::varchar[])', params: ['ws-1', ['assigned', 'in_mediation']], fromCounters: true }, null);
    const { sql, params } = listPageAndTotalSql(columns, page, 20, 0, total);
    expect(params).toEqual(['ws-1', ['assigned', 'in_mediation'], 20, 0, 'ws-1', ['assigned', 'in_mediation']]);
    expect(sql).toContain('FROM (SELECT coalesce(sum(n), 0)::int AS total FROM case_counts WHERE workstation_id = $5 AND status = ANY($6::varchar[])) t');
    expect(sql).toContain('LIMIT $3 OFFSET $4) p ON true');
  });

  it('caps a search\'s count and keeps a parameterless total as it is', () => {
    const page = { where: 'c.case_number LIKE $1', params: ['WS01-2026%'] };
    expect(listTotalSql({ ...page, fromCounters: false }, 501).where).toBe('SELECT count(*)::int AS total FROM (SELECT 1 FROM cases c WHERE c.case_number LIKE $1 LIMIT 501) capped');
    const { sql, params } = listPageAndTotalSql(columns, { where: 'true', params: [] }, 20, 0, listTotalSql({ where: 'true', params: [], fromCounters: true }, null));
    expect(params).toEqual([20, 0]);
    expect(sql).toContain('FROM (SELECT coalesce(sum(n), 0)::int AS total FROM case_counts WHERE true) t');
  });
});
