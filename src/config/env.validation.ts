import { plainToInstance, Transform } from 'class-transformer';
import { parseNetworks } from '../common/network-access';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/** Every setting the app reads, validated once at start (see README "Configuration"). */
export class EnvironmentVariables {
  /** Unset means production: only an explicit `development` or `test` may run without JWT_SECRET. */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'production';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/mediation';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Key prefix for BullMQ, so that several deployments (or test runs) can share one Redis. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 characters of A-Z a-z 0-9 : _ -' })
  QUEUE_PREFIX = 'mediation';

  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET?: string;

  @Matches(/^\d+[smhd]?$/, { message: 'JWT_EXPIRES_IN must look like 3600, 30m, 8h or 7d' })
  JWT_EXPIRES_IN = '8h';

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'ADMIN_USERNAME must be 3-64 characters of A-Z a-z 0-9 _ . -' })
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  /** Failed logins allowed per client address and minute (successful ones do not count). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'LOGIN_RATE_LIMIT must be an integer' })
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  /**
   * Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs, or proxy-addr's
   * `loopback`, `linklocal`, `uniquelocal`). Empty: forwarding headers are ignored, the client
   * address is the socket's (so that nobody can pick an address to dodge the login limit).
   */
  @Matches(/^$|^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*$/, {
    message: 'TRUSTED_PROXIES must be a comma-separated list of IP addresses, CIDRs, loopback, linklocal or uniquelocal',
  })
  TRUSTED_PROXIES = '';

  /** Years after which a concluded case is anonymised (DESIGN "Retention"). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'RETENTION_YEARS must be an integer' })
  @Min(1)
  @Max(100)
  RETENTION_YEARS = 10;

  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'DB_POOL_SIZE must be an integer' })
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 20;

  /** `all` runs API and queue workers in one process; `api` runs no workers (scale workers with `npm run start:worker`). */
  @IsIn(['all', 'api'])
  WORKERS: 'all' | 'api' = 'all';

  /** The most days all extensions of one case's mediation period may add together. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'MAX_EXTENSION_DAYS must be an integer' })
  @Min(0)
  @Max(365)
  MAX_EXTENSION_DAYS = 30;

  /** How often (ms) the process checks whether to hand freed malloc memory back to the kernel (src/process-memory); 0 never does. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'MALLOC_TRIM_INTERVAL_MS must be an integer' })
  @Min(0)
  @Max(600_000)
  MALLOC_TRIM_INTERVAL_MS = 1000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** A bearer token that lets a scraper read /metrics from anywhere. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Networks that may read /metrics without the token (comma-separated CIDRs). */
  @Matches(/^[0-9a-fA-F:.,/ ]+$/, { message: 'METRICS_ALLOW_NETWORKS must be comma-separated networks such as 127.0.0.0/8,::1/128' })
  METRICS_ALLOW_NETWORKS = '127.0.0.0/8,::1/128';
  /** Webhook deliveries: how long a receiver has to answer one attempt (ms). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'WEBHOOK_TIMEOUT_MS must be an integer' })
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Webhook deliveries: attempts before a delivery is dead-lettered. */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'WEBHOOK_MAX_ATTEMPTS must be an integer' })
  @Min(1)
  @Max(50)
  WEBHOOK_MAX_ATTEMPTS = 12;

  /** Webhook deliveries: the first retry's delay (ms); each next one doubles (12 attempts span about 11 hours). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'WEBHOOK_BACKOFF_MS must be an integer' })
  @Min(10)
  WEBHOOK_BACKOFF_MS = 10_000;

  /** Webhook deliveries: how often the outbox is read for new rows (ms). */
  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt({ message: 'WEBHOOK_POLL_MS must be an integer' })
  @Min(50)
  WEBHOOK_POLL_MS = 1000;
  /** Where attachments live: PostgreSQL (default) or S3-compatible object storage. */
  @IsIn(['postgres', 's3'])
  STORAGE: 'postgres' | 's3' = 'postgres';

  /** S3-compatible endpoint, e.g. http://minio:9000 (omit for AWS S3 itself). */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'S3_ENDPOINT must be an http(s):// URL' })
  S3_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a bucket name (3-63 of a-z 0-9 . -)' })
  S3_BUCKET?: string;

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_KEY?: string;

  @Matches(/^[a-z0-9-]{2,32}$/, { message: 'S3_REGION must look like us-east-1' })
  S3_REGION = 'us-east-1';
}

export type AppConfig = EnvironmentVariables & { JWT_SECRET: string };

/** TRUSTED_PROXIES as Fastify's `trustProxy` option: the list, or false (trust no forwarding header). */
export function trustProxySetting(trustedProxies: string): string[] | false {
  const list = trustedProxies.split(',').map((s) => s.trim()).filter(Boolean);
  return list.length ? list : false;
}

const DEV_JWT_SECRET = 'dev-only-secret-change-me-in-production';
/** Only these may sign with the development key that is in the source. */
const DEV_KEY_ENVIRONMENTS = new Set(['development', 'test']);
export const MISSING_JWT_SECRET =
  'JWT_SECRET: required unless NODE_ENV is development or test (set JWT_SECRET to at least 16 random characters, e.g. JWT_SECRET=$(node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'hex\'))"))';

/** Validates process.env; throws one line naming each bad setting. Used by ConfigModule and the CLI scripts. */
export function validateEnv(raw: Record<string, unknown>): AppConfig {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  // One message per setting, the most telling first (a non-number PORT is "not an integer", not "too large").
  const problems = errors.map((e) => {
    const c = e.constraints ?? {};
    return `${e.property}: ${c.isInt ?? c.matches ?? c.isIn ?? Object.values(c)[0]}`;
  });
  try {
    parseNetworks(env.METRICS_ALLOW_NETWORKS);
  } catch (e) {
    problems.push(`METRICS_ALLOW_NETWORKS: ${(e as Error).message}`);
  }
  if (env.STORAGE === 's3') {
    for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) if (!env[key]) problems.push(`${key}: required when STORAGE=s3`);
  }
  if (!env.JWT_SECRET && !DEV_KEY_ENVIRONMENTS.has(env.NODE_ENV)) problems.push(MISSING_JWT_SECRET);
  if (problems.length) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  return Object.assign(env, { JWT_SECRET: env.JWT_SECRET ?? DEV_JWT_SECRET }) as AppConfig;
}
