import { validateEnv } from './env.validation';

// NODE_ENV test: without it the settings are production's, which need JWT_SECRET.
const env = (vars: Record<string, string>) => validateEnv({ NODE_ENV: 'test', ...vars });

describe('attachment storage settings', () => {
  it('defaults to PostgreSQL', () => {
    expect(env({}).STORAGE).toBe('postgres');
  });

  it('needs the bucket and the keys for S3, and checks their form', () => {
    expect(() => env({ STORAGE: 's3' })).toThrow(/S3_BUCKET: required when STORAGE=s3.*S3_ACCESS_KEY.*S3_SECRET_KEY/);
    const s3 = env({ STORAGE: 's3', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'mediation-attachments', S3_ACCESS_KEY: 'k', S3_SECRET_KEY: 's' });
    expect(s3).toMatchObject({ STORAGE: 's3', S3_BUCKET: 'mediation-attachments', S3_REGION: 'us-east-1' });
    expect(() => env({ STORAGE: 'disk' })).toThrow(/STORAGE/);
    expect(() => env({ STORAGE: 's3', S3_ENDPOINT: 'minio:9000', S3_BUCKET: 'b-1', S3_ACCESS_KEY: 'k', S3_SECRET_KEY: 's' })).toThrow(/S3_ENDPOINT/);
    expect(() => env({ STORAGE: 's3', S3_BUCKET: 'Bad_Bucket', S3_ACCESS_KEY: 'k', S3_SECRET_KEY: 's' })).toThrow(/S3_BUCKET/);
  });
});
