/**
 * Statements sent as named (prepared) statements on a raw pg connection (PgReads.transaction, PgReads.statement):
 * PostgreSQL parses and analyses such a statement once per connection, and may keep its plan,
 * instead of doing all of it at every run. For statements that cost more to plan than to run,
 * e.g. a timeline event with its webhook outbox rows, intake's one statement (issue 17). Registered by their
 * text, so the callers' code and their TypeORM path (EntityManager.query, unnamed) stay as they are.
 */
const NAMES = new Map<string, string>();

/** Registers `text` under `name` (unique; the same name for another text is a programming error) and returns the text. */
export function preparedStatement(name: string, text: string): string {
  for (const [other, otherName] of NAMES) {
    if (otherName === name && other !== text) throw new Error(`prepared statement ${name} registered twice with different texts`);
  }
  NAMES.set(text, name);
  return text;
}

/** The name `text` was registered under, if it was. */
export function preparedName(text: string): string | undefined {
  return NAMES.get(text);
}
