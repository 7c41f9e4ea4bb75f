import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case's attachments (DESIGN.md "Documents and attachments"): the court's letter, evidence,
 * the scanned signed agreement, identity papers. An attachment is never overwritten: a new
 * version names the one it supersedes (each version superseded at most once) and both are kept;
 * a trigger refuses every UPDATE of an attachment or its content. DELETE stays possible for the
 * retention job, which removes a concluded case's attachments at the end of retention.
 *
 * With STORAGE=postgres the content lives in `attachment_chunks` (256 KiB rows, written while the
 * upload streams in and read back in order), in the same transaction as the attachment row: an
 * interrupted upload leaves nothing. The foreign key is deferred because the chunks are written
 * before the row (the form's other fields may follow the file). With STORAGE=s3 `storage_key`
 * names the object.
 */
export class Attachments1764400000000 implements MigrationInterface {
  name = 'Attachments1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        kind varchar(32) NOT NULL CHECK (kind IN ('court_letter', 'evidence', 'signed_agreement', 'identity', 'other')),
        file_name varchar(255) NOT NULL,
        content_type varchar(128) NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage varchar(16) NOT NULL CHECK (storage IN ('postgres', 's3')),
        storage_key text,
        note text,
        supersedes_id uuid REFERENCES attachments (id),
        uploaded_by uuid REFERENCES users (id),
        uploaded_at timestamptz NOT NULL,
        CHECK ((storage = 's3') = (storage_key IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX attachments_case_idx ON attachments (case_id, uploaded_at, id)`);
    await q.query(`CREATE UNIQUE INDEX attachments_superseded_once_idx ON attachments (supersedes_id) WHERE supersedes_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE attachment_chunks (
        attachment_id uuid NOT NULL REFERENCES attachments (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        seq integer NOT NULL CHECK (seq >= 0),
        data bytea NOT NULL,
        PRIMARY KEY (attachment_id, seq)
      )`);
    await q.query(`ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL`);
    await q.query(`
      CREATE FUNCTION attachments_never_overwritten() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'attachments are never overwritten: upload a new version that supersedes it';
      END $$`);
    await q.query(`CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments FOR EACH ROW EXECUTE FUNCTION attachments_never_overwritten()`);
    await q.query(`CREATE TRIGGER attachment_chunks_no_update BEFORE UPDATE ON attachment_chunks FOR EACH ROW EXECUTE FUNCTION attachments_never_overwritten()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment_chunks`);
    await q.query(`DROP TABLE attachments`);
    await q.query(`DROP FUNCTION attachments_never_overwritten()`);
  }
}
