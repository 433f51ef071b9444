import path from 'node:path';
import { z } from 'zod';

/**
 * The only place that reads process.env. Every setting Siyu understands is listed here;
 * a bad value stops start-up with every problem printed at once.
 */
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  SIYU_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  SIYU_HOST: z.string().min(1).default('127.0.0.1'),
  SIYU_DATA_DIR: z.string().min(1).default('.siyu'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  SIYU_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  SIYU_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SIYU_SEED_DEMO: bool.default(true),
  SIYU_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIYU_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  SIYU_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  SIYU_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SIYU_WEB_DIST: z.string().optional(),
  SIYU_DEMO_CUSTOMERS: z.coerce.number().int().min(0).max(2_000_000).default(20_000),
  SIYU_OUTBOUND_ALLOW_PRIVATE: bool.default(false),
  REDIS_URL: z.string().optional(),
  TZ_DEFAULT: z.string().default('Asia/Shanghai'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  poolMax: number;
  demoPassword: string | undefined;
  seedDemo: boolean;
  demoCustomers: number;
  logLevel: Env['SIYU_LOG_LEVEL'];
  cookieSecure: 'auto' | boolean;
  sessionTtlMs: number;
  workerConcurrency: number;
  webDist: string;
  redisUrl: string | undefined;
  defaultTimeZone: string;
  /** Webhooks and providers may be on loopback or private addresses (a deployment calling its own internal systems). */
  outboundAllowPrivate: boolean;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(pickDefined(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (!isValidTimeZone(e.TZ_DEFAULT)) throw new ConfigError([`TZ_DEFAULT: unknown time zone ${e.TZ_DEFAULT}`]);
  return {
    port: e.SIYU_PORT,
    host: e.SIYU_HOST,
    dataDir: path.resolve(e.SIYU_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    poolMax: e.SIYU_DB_POOL_MAX,
    demoPassword: e.SIYU_DEMO_PASSWORD,
    seedDemo: e.SIYU_SEED_DEMO,
    demoCustomers: e.SIYU_DEMO_CUSTOMERS,
    logLevel: e.SIYU_LOG_LEVEL,
    cookieSecure: e.SIYU_COOKIE_SECURE === 'auto' ? 'auto' : e.SIYU_COOKIE_SECURE === 'true',
    sessionTtlMs: e.SIYU_SESSION_TTL_HOURS * 3600_000,
    workerConcurrency: e.SIYU_WORKER_CONCURRENCY,
    webDist: path.resolve(e.SIYU_WEB_DIST ?? path.join(projectRoot, 'web', 'dist')),
    redisUrl: e.REDIS_URL,
    defaultTimeZone: e.TZ_DEFAULT,
    outboundAllowPrivate: e.SIYU_OUTBOUND_ALLOW_PRIVATE,
    ...overrides,
  };
}

/** Settings the test and benchmark harnesses read; kept here so nothing else touches process.env. */
export interface HarnessEnv {
  testDatabaseUrl: string | undefined;
  benchDatabaseUrl: string | undefined;
  chromiumPath: string;
  /** Set by the test runner's global setup: migrated templates to clone per test file. */
  embeddedTemplate: string | undefined;
  postgresTemplate: string | undefined;
  /** When set, database and browser suites fail instead of skipping. */
  requireAllTargets: boolean;
}

export function loadHarnessEnv(env: NodeJS.ProcessEnv = process.env): HarnessEnv {
  return {
    testDatabaseUrl: env.TEST_DATABASE_URL || undefined,
    benchDatabaseUrl: env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || undefined,
    chromiumPath: env.SIYU_CHROMIUM || '/usr/bin/chromium',
    embeddedTemplate: env.SIYU_TEST_EMBEDDED_TEMPLATE || undefined,
    postgresTemplate: env.SIYU_TEST_POSTGRES_TEMPLATE || undefined,
    requireAllTargets: env.SIYU_REQUIRE_ALL_TARGETS === '1',
  };
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function pickDefined(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

export { projectRoot };
