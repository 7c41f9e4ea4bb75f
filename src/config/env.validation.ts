import { plainToInstance, Transform } from 'class-transformer';
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
   * Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs, or Express's
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

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

export type AppConfig = EnvironmentVariables & { JWT_SECRET: string };

/** TRUSTED_PROXIES as Express's `trust proxy` setting: the list, or false (trust no forwarding header). */
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
  if (!env.JWT_SECRET && !DEV_KEY_ENVIRONMENTS.has(env.NODE_ENV)) problems.push(MISSING_JWT_SECRET);
  if (problems.length) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  return Object.assign(env, { JWT_SECRET: env.JWT_SECRET ?? DEV_JWT_SECRET }) as AppConfig;
}
