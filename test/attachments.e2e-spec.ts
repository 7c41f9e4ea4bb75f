import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_ATTACHMENT_BYTES } from '../src/attachments/multipart-upload';
import { CHUNK_BYTES, CHUNKS_PER_READ } from '../src/attachments/postgres-attachment-storage';
import { encodeRfc5987 } from '../src/common/content-disposition';
import { caseInState } from './utils/case-factory';
import { bearer, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { getBinary } from './utils/binary';
import { LocalS3, startLocalS3 } from './utils/s3-server';

jest.setTimeout(180_000);
type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;

/** A PDF-signed file of `size` bytes with random content (not compressible, crosses chunk and part boundaries). */
function pdfBytes(size: number): Buffer {
  const body = randomBytes(size);
  Buffer.from('%PDF-1.7\n').copy(body);
  return body;
}

function pngBytes(size: number): Buffer {
  const body = randomBytes(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(body);
  return body;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A multipart body built by hand, so that the file name goes out byte for byte as a hostile client would send it. */
function multipart(fileName: string, content: Buffer, fields: Record<string, string>, nameParam = `filename="${fileName}"`): { body: Buffer; contentType: string } {
  const boundary = `----mt${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${nameParam}\r\nContent-Type: application/pdf\r\n\r\n`, 'utf8'));
  parts.push(content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function suite(storage: 'postgres' | 's3') {
  describe(`attachments with STORAGE=${storage} (e2e)`, () => {
    let t: TestApp;
    let a: Team;
    let b: Team;
    let caseId: string;
    let s3: LocalS3 | undefined;

    async function objectCount(): Promise<number> {
      if (!s3) return 0;
      const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
      return listed.KeyCount ?? 0;
    }

    async function stored(): Promise<{ attachments: number; chunks: number; objects: number }> {
      const [row] = await t.db.query(`SELECT (SELECT count(*)::int FROM attachments) AS attachments, (SELECT count(*)::int FROM attachment_chunks) AS chunks`);
      return { ...row, objects: await objectCount() };
    }

    function upload(user: TestUser, id: string, content: Buffer, fileName: string, fields: Record<string, string> = { kind: 'evidence' }) {
      let req = t.http.post(`/api/v1/cases/${id}/attachments`).set(bearer(user));
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('file', content, { filename: fileName, contentType: 'application/octet-stream' });
    }

    function download(user: TestUser, id: string) {
      return getBinary(t, user, `/attachments/${id}`);
    }

    beforeAll(async () => {
      if (storage === 's3') s3 = await startLocalS3();
      t = await createTestApp({ workers: false, env: s3?.env ?? {} });
      a = await makeWorkstationTeam(t);
      b = await makeWorkstationTeam(t);
      caseId = (await caseInState(t, a, 'assigned')).id;
    });

    afterAll(async () => {
      await t?.close();
      await s3?.close();
    });

    it('round-trips a file byte for byte, with its SHA-256, its detected type and a timeline event', async () => {
      const content = pdfBytes(storage === 's3' ? 6 * 1024 * 1024 + 123 : 1024 * 1024 + 77);
      const res = await upload(a.mediator, caseId, content, '委派调解函.pdf', { kind: 'court_letter', note: '法院来函' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        caseId,
        kind: 'court_letter',
        fileName: '委派调解函.pdf',
        contentType: 'application/pdf',
        sizeBytes: content.length,
        sha256: sha256(content),
        note: '法院来函',
        supersedesId: null,
        supersededById: null,
        uploadedBy: a.mediator.id,
      });
      const [row] = await t.db.query(`SELECT storage, storage_key FROM attachments WHERE id = $1`, [res.body.id]);
      expect(row.storage).toBe(storage);
      if (storage === 's3') {
        expect(row.storage_key).toBe(`attachments/${caseId}/${res.body.id}`);
        expect((await stored()).chunks).toBe(0);
      }

      const got = await download(a.staff, res.body.id);
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(Number(got.headers['content-length'])).toBe(content.length);
      expect(got.headers['x-content-sha256']).toBe(sha256(content));
      expect(got.headers['cache-control']).toBe('no-store');
      expect(got.headers['content-disposition']).toBe(`attachment; filename="_____.pdf"; filename*=UTF-8''${encodeRfc5987('委派调解函.pdf')}`);
      expect(Buffer.compare(got.body as Buffer, content)).toBe(0);

      const events = await t.http.get(`/api/v1/cases/${caseId}/events`).set(bearer(a.staff));
      const added = events.body.find((e: { type: string }) => e.type === 'attachment_added');
      expect(added.after).toMatchObject({ attachmentId: res.body.id, kind: 'court_letter', sha256: sha256(content), sizeBytes: content.length });
    });

    it('round-trips files that end on a chunk or a read boundary, or just past one, byte for byte', async () => {
      for (const size of [CHUNK_BYTES, CHUNKS_PER_READ * CHUNK_BYTES, 2 * CHUNKS_PER_READ * CHUNK_BYTES + 1]) {
        const content = pdfBytes(size);
        const res = await upload(a.mediator, caseId, content, 'edge.pdf');
        expect(res.status).toBe(201);
        if (storage === 'postgres') {
          const rows: Array<{ seq: number; bytes: number }> = await t.db.query(`SELECT seq, octet_length(data) AS bytes FROM attachment_chunks WHERE attachment_id = $1 ORDER BY seq`, [res.body.id]);
          const full = Math.floor(size / CHUNK_BYTES);
          const expected = Array.from({ length: Math.ceil(size / CHUNK_BYTES) }, (_, seq) => ({ seq, bytes: seq < full ? CHUNK_BYTES : size % CHUNK_BYTES }));
          expect(rows).toEqual(expected);
        }
        const got = await download(a.staff, res.body.id);
        expect(got.status).toBe(200);
        expect(Buffer.compare(got.body as Buffer, content)).toBe(0);
      }
    });

    it('a form refused after the file was stored (a wrong kind, an unknown superseded version) leaves nothing behind', async () => {
      const before = await stored();
      const content = pdfBytes(2 * CHUNK_BYTES + 5);
      const wrongKind = await upload(a.mediator, caseId, content, 'x.pdf', { kind: 'selfie' });
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.body.details).toEqual({ field: 'kind' });
      const unknownVersion = await upload(a.mediator, caseId, content, 'x.pdf', { kind: 'evidence', supersedes: '00000000-0000-4000-8000-000000000000' });
      expect(unknownVersion.status).toBe(400);
      expect(unknownVersion.body.details).toEqual({ field: 'supersedes' });
      expect(await stored()).toEqual(before);
    });

    it('a new version supersedes the old one, both are kept, and a superseded version cannot be superseded again', async () => {
      const v1 = await upload(a.mediator, caseId, pngBytes(5000), 'scan.png', { kind: 'signed_agreement' });
      expect(v1.status).toBe(201);
      expect(v1.body.contentType).toBe('image/png');
      const v2Content = pngBytes(7000);
      const v2 = await upload(a.mediator, caseId, v2Content, 'scan-v2.png', { kind: 'signed_agreement', supersedes: v1.body.id });
      expect(v2.status).toBe(201);
      expect(v2.body.supersedesId).toBe(v1.body.id);
      const list = await t.http.get(`/api/v1/cases/${caseId}/attachments`).set(bearer(a.clerk));
      expect(list.status).toBe(200);
      const old = list.body.find((x: { id: string }) => x.id === v1.body.id);
      expect(old.supersededById).toBe(v2.body.id);
      expect(list.body.find((x: { id: string }) => x.id === v2.body.id).supersededById).toBeNull();
      expect((await download(a.mediator, v1.body.id)).status).toBe(200);

      const before = await stored();
      const again = await upload(a.mediator, caseId, pngBytes(100), 'scan-v3.png', { kind: 'signed_agreement', supersedes: v1.body.id });
      expect(again.status).toBe(409);
      expect(again.body.details.supersededById).toBe(v2.body.id);
      expect(await stored()).toEqual(before);
      // The database refuses to rewrite a stored attachment whatever the code does.
      await expect(t.db.query(`UPDATE attachments SET file_name = 'x' WHERE id = $1`, [v1.body.id])).rejects.toThrow(/never overwritten/);
    });

    it("GET /cases/:id carries the case's attachments (name, type, size, uploader, time), the same as the list", async () => {
      const [detail, list] = await Promise.all([
        t.http.get(`/api/v1/cases/${caseId}`).set(bearer(a.staff)),
        t.http.get(`/api/v1/cases/${caseId}/attachments`).set(bearer(a.staff)),
      ]);
      expect(detail.status).toBe(200);
      expect(list.body.length).toBeGreaterThanOrEqual(3);
      expect(detail.body.attachments).toHaveLength(list.body.length);
      detail.body.attachments.forEach((x: Record<string, unknown>, i: number) => {
        const y = list.body[i];
        expect(x).toEqual({
          id: y.id,
          kind: y.kind,
          fileName: y.fileName,
          contentType: y.contentType,
          sizeBytes: y.sizeBytes,
          supersedesId: y.supersedesId,
          supersededById: y.supersededById,
          uploadedBy: a.mediator.id,
          uploadedByName: a.mediator.displayName,
          uploadedAt: y.uploadedAt,
          downloadUrl: y.downloadUrl,
        });
      });
      // Another workstation does not see the case, attachments included.
      expect((await t.http.get(`/api/v1/cases/${caseId}`).set(bearer(b.staff))).status).toBe(404);
    });

    it('a file over 20 MB is a 413 and stores nothing', async () => {
      const before = await stored();
      const res = await upload(a.mediator, caseId, pdfBytes(MAX_ATTACHMENT_BYTES + 1), 'big.pdf');
      expect(res.status).toBe(413);
      expect(res.body.messageZh).toContain('20MB');
      expect(await stored()).toEqual(before);
      // Exactly 20 MB is accepted.
      const exact = pdfBytes(MAX_ATTACHMENT_BYTES);
      const ok = await upload(a.mediator, caseId, exact, 'exact.pdf');
      expect(ok.status).toBe(201);
      expect(ok.body.sha256).toBe(sha256(exact));
    });

    it('an .exe renamed .pdf, a plain ZIP or an empty file is refused and nothing is stored', async () => {
      const before = await stored();
      const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), randomBytes(200_000)]);
      const res = await upload(a.mediator, caseId, exe, 'agreement.pdf');
      expect(res.status).toBe(415);
      expect(res.body.messageZh).toContain('PDF');
      expect((await upload(a.mediator, caseId, Buffer.from('PK\x03\x04', 'latin1'), 'x.docx')).status).toBe(415);
      expect((await upload(a.mediator, caseId, Buffer.alloc(0), 'empty.pdf')).status).toBe(400);
      expect((await upload(a.mediator, caseId, pdfBytes(100), 'x.pdf', { kind: 'selfie' })).status).toBe(400);
      const noFile = await t.http.post(`/api/v1/cases/${caseId}/attachments`).set(bearer(a.mediator)).field('kind', 'evidence');
      expect(noFile.status).toBe(400);
      const json = await t.http.post(`/api/v1/cases/${caseId}/attachments`).set(bearer(a.mediator)).send({ kind: 'evidence' });
      expect(json.status).toBe(415);
      expect(await stored()).toEqual(before);
    });

    it("another workstation's case is a 404 for upload, list and download", async () => {
      const mine = await upload(a.mediator, caseId, pdfBytes(1000), 'mine.pdf');
      expect(mine.status).toBe(201);
      const before = await stored();
      for (const outsider of [b.staff, b.clerk, b.mediator, a.mediator2]) {
        expect((await upload(outsider, caseId, pdfBytes(1000), 'x.pdf')).status).toBe(404);
        expect((await t.http.get(`/api/v1/cases/${caseId}/attachments`).set(bearer(outsider))).status).toBe(404);
        expect((await download(outsider, mine.body.id)).status).toBe(404);
      }
      expect(await stored()).toEqual(before);
      expect((await t.http.get(`/api/v1/attachments/${mine.body.id}`)).status).toBe(401);
    });

    it('a file name with path and control characters is stored safely and served with a safe Content-Disposition', async () => {
      const content = pdfBytes(3000);
      // RFC 5987 lets a client put any byte in the name: slashes, BEL, a right-to-left override.
      const hostile = `filename*=UTF-8''..%2F..%2Fetc%2F${encodeURIComponent('证据')}%07${encodeURIComponent('\u202E')}fdp.exe.pdf`;
      const { body, contentType } = multipart('', content, { kind: 'evidence' }, hostile);
      const res = await t.http.post(`/api/v1/cases/${caseId}/attachments`).set(bearer(a.mediator)).set('Content-Type', contentType).send(body);
      expect(res.status).toBe(201);
      expect(res.body.fileName).toBe('证据fdp.exe.pdf');
      const got = await download(a.mediator, res.body.id);
      expect(got.status).toBe(200);
      expect(got.headers['content-disposition']).toBe(`attachment; filename="__fdp.exe.pdf"; filename*=UTF-8''${encodeRfc5987('证据fdp.exe.pdf')}`);
      expect(Buffer.compare(got.body as Buffer, content)).toBe(0);

      const backslashes = multipart('C:\\fakepath\\a b.pdf', content, { kind: 'other' });
      const res2 = await t.http.post(`/api/v1/cases/${caseId}/attachments`).set(bearer(a.mediator)).set('Content-Type', backslashes.contentType).send(backslashes.body);
      expect(res2.status).toBe(201);
      expect(res2.body.fileName).toBe('a b.pdf');

      // A raw control character in the part's header is a malformed form: 400, nothing stored.
      const before = await stored();
      const raw = multipart('a\u0007b.pdf', content, { kind: 'other' });
      const res3 = await t.http.post(`/api/v1/cases/${caseId}/attachments`).set(bearer(a.mediator)).set('Content-Type', raw.contentType).send(raw.body);
      expect(res3.status).toBe(400);
      expect(await stored()).toEqual(before);
    });

    it('an interrupted upload leaves nothing behind', async () => {
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      const before = await stored();
      const content = pdfBytes(8 * 1024 * 1024);
      const { body, contentType } = multipart('cut.pdf', content, { kind: 'evidence' });
      await new Promise<void>((resolve) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/v1/cases/${caseId}/attachments`,
          headers: { ...bearer(a.mediator), 'Content-Type': contentType, 'Content-Length': String(body.length) },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        // Two thirds of the body, then the client goes away.
        req.write(body.subarray(0, Math.floor((body.length * 2) / 3)), () => setTimeout(() => req.destroy(), 300));
      });
      // The server notices, rolls back and aborts the object upload.
      for (let i = 0; i < 50; i++) {
        const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`);
        if (n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(await stored()).toEqual(before);
    });
  });
}

suite('postgres');
suite('s3');
