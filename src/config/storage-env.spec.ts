import { validateEnv } from './env.validation';

describe('attachment storage settings', () => {
  it('defaults to PostgreSQL', () => {
    expect(validateEnv({}).STORAGE).toBe('postgres');
  });

  it('needs the bucket and the keys for S3, and checks their form', () => {
    expect(() => validateEnv({ STORAGE: 's3' })).toThrow(/S3_BUCKET: required when STORAGE=s3.*S3_ACCESS_KEY.*S3_SECRET_KEY/);
    const s3 = validateEnv({ STORAGE: 's3', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'mediation-attachments', S3_ACCESS_KEY: 'k', S3_SECRET_KEY: 's' });
    expect(s3).toMatchObject({ STORAGE: 's3', S3_BUCKET: 'mediation-attachments', S3_REGION: 'us-east-1' });
    expect(() => validateEnv({ STORAGE: 'disk' })).toThrow(/STORAGE/);
    expect(() => validateEnv({ STORAGE: 's3', S3_ENDPOINT: 'minio:9000', S3_BUCKET: 'b-1', S3_ACCESS_KEY: 'k', S3_SECRET_KEY: 's' })).toThrow(/S3_ENDPOINT/);
    expect(() => validateEnv({ STORAGE: 's3', S3_BUCKET: 'Bad_Bucket', S3_ACCESS_KEY: 'k', S3_SECRET_KEY: 's' })).toThrow(/S3_BUCKET/);
  });
});
