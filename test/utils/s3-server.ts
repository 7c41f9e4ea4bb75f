import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// s3rver ships no types.
const S3rver = require('s3rver');

/** A real S3-protocol server (s3rver) on a free local port, with the attachments' bucket made. */
export interface LocalS3 {
  bucket: string;
  /** A client of it, for looking at the stored objects. */
  client: S3Client;
  /** The app's settings for `STORAGE=s3` against it. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'mediation-attachments'): Promise<LocalS3> {
  const keys = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const dir = mkdtempSync(join(tmpdir(), 'mt-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const address: AddressInfo = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: keys });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    bucket,
    client,
    env: { STORAGE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY: keys.accessKeyId, S3_SECRET_KEY: keys.secretAccessKey },
    async close() {
      client.destroy();
      await (server as { close(): Promise<void> }).close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
