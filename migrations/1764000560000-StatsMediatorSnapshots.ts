import { MigrationInterface, QueryRunner } from 'typeorm';

/** The case trigger of StatsSnapshots, with or without the mediator among the columns that move figures. */
function caseChangedFunction(withMediator: boolean): string {
  const m = (old: string) => (withMediator ? `, ${old}.mediator_id` : '');
  return `
    CREATE OR REPLACE FUNCTION stats_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      days date[] := '{}';
      received_moved boolean := TG_OP <> 'UPDATE'
        OR (OLD.received_at, OLD.workstation_id, OLD.dispute_type${m('OLD')}) IS DISTINCT FROM (NEW.received_at, NEW.workstation_id, NEW.dispute_type${m('NEW')});
      -- received_at counts too: the conclusion day's figures include the time to conclude.
      concluded_moved boolean := TG_OP <> 'UPDATE'
        OR (OLD.concluded_at, OLD.status, OLD.received_at, OLD.workstation_id, OLD.dispute_type${m('OLD')})
           IS DISTINCT FROM (NEW.concluded_at, NEW.status, NEW.received_at, NEW.workstation_id, NEW.dispute_type${m('NEW')});
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF received_moved THEN days := days || (OLD.received_at AT TIME ZONE 'Asia/Shanghai')::date; END IF;
        IF concluded_moved THEN days := days || (OLD.concluded_at AT TIME ZONE 'Asia/Shanghai')::date; END IF;
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        IF received_moved THEN days := days || (NEW.received_at AT TIME ZONE 'Asia/Shanghai')::date; END IF;
        IF concluded_moved THEN days := days || (NEW.concluded_at AT TIME ZONE 'Asia/Shanghai')::date; END IF;
      END IF;
      PERFORM stats_invalidate_days(days);
      RETURN NULL;
    END $$`;
}

function caseUpdatedTrigger(withMediator: boolean): string {
  const columns = ['received_at', 'concluded_at', 'status', 'workstation_id', 'dispute_type', ...(withMediator ? ['mediator_id'] : [])];
  return `
    CREATE TRIGGER stats_case_updated AFTER UPDATE OF ${columns.join(', ')} ON cases
    FOR EACH ROW WHEN (${columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})
    EXECUTE FUNCTION stats_case_changed()`;
}

const MEASURES = `
  received integer NOT NULL DEFAULT 0,
  concluded integer NOT NULL DEFAULT 0,
  agreements integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  withdrawn integer NOT NULL DEFAULT 0,
  confirmed integer NOT NULL DEFAULT 0,
  conclude_seconds numeric NOT NULL DEFAULT 0,
  amount_agreed numeric(18,2) NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()`;

/**
 * Snapshots per mediator (daily and monthly, beside the per-dispute-type ones, same coverage
 * tables), so that breakdowns by mediator and a mediator's own figures read snapshots too. The
 * unassigned cases are filed under the nil uuid. A case's mediator now moves figures, so a
 * (re)assignment invalidates the days of the case like any other change.
 */
export class StatsMediatorSnapshots1764000560000 implements MigrationInterface {
  name = 'StatsMediatorSnapshots1764000560000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_daily_mediator (
        day date NOT NULL,
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        mediator_id uuid NOT NULL,
        ${MEASURES},
        PRIMARY KEY (day, workstation_id, mediator_id)
      )`);
    await q.query(`CREATE INDEX stats_daily_mediator_mediator_day_idx ON stats_daily_mediator (mediator_id, day)`);
    await q.query(`
      CREATE TABLE stats_monthly_mediator (
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        mediator_id uuid NOT NULL,
        ${MEASURES},
        PRIMARY KEY (month, workstation_id, mediator_id)
      )`);
    await q.query(`CREATE INDEX stats_monthly_mediator_mediator_month_idx ON stats_monthly_mediator (mediator_id, month)`);
    await q.query(`CREATE INDEX stats_monthly_mediator_workstation_month_idx ON stats_monthly_mediator (workstation_id, month)`);

    await q.query(caseChangedFunction(true));
    await q.query(`DROP TRIGGER stats_case_updated ON cases`);
    await q.query(caseUpdatedTrigger(true));
    // Snapshots taken before this migration have no mediator rows: they are no longer current.
    await q.query(`DELETE FROM stats_snapshot_months`);
    await q.query(`DELETE FROM stats_snapshot_days`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER stats_case_updated ON cases`);
    await q.query(caseUpdatedTrigger(false));
    await q.query(caseChangedFunction(false));
    await q.query(`DROP TABLE stats_monthly_mediator`);
    await q.query(`DROP TABLE stats_daily_mediator`);
  }
}
