import { systemClock } from '../platform/clock.ts';
import { ConfigError, loadConfig, type Config } from '../platform/config.ts';
import { embeddedDataDir, openDatabase, type Database } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import { createSiyu, type Siyu } from '../composition.ts';

/** Reads the configuration or exits with every problem listed. */
export function configOrExit(overrides: Partial<Config> = {}): Config {
  try {
    return loadConfig(undefined, overrides);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

export interface OpenOptions {
  migrate: boolean;
  role: string;
  logger?: Logger;
}

/** Opens the database (embedded unless DATABASE_URL), migrates if asked, and composes Siyu. */
export async function openSiyu(config: Config, options: OpenOptions): Promise<Siyu> {
  const logger = options.logger ?? createLogger(config.logLevel).child({ role: options.role });
  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: embeddedDataDir(config.dataDir),
      poolMax: config.poolMax,
      applicationName: `siyu-${options.role}`,
      // CLI commands work beside a running `siyu start` by using its embedded server.
      attachIfRunning: options.role === 'cli',
      onEmbeddedExit: (code) => {
        logger.fatal({ code }, 'the embedded database stopped unexpectedly; Siyu cannot continue');
        process.stderr.write(`\nSiyu: the embedded database process exited (code ${code}). Stopping.\n`);
        process.exit(1);
      },
    });
  } catch (err) {
    process.stderr.write(`Siyu could not open its database: ${(err as Error).message}\n`);
    process.exit(1);
  }
  if (options.migrate) {
    const { applied } = await migrate(database.pool, { log: (line) => logger.info(line) });
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  const siyu = createSiyu({
    config,
    database,
    logger,
    clock: systemClock,
    jobsRole: options.role === 'start' || options.role === 'worker' ? 'worker' : 'client',
  });
  // Services enqueue jobs inside their transactions; that needs the job system started
  // (its queue cache loaded) in every process, CLI commands included.
  await siyu.jobs.start();
  return siyu;
}

/** Runs `stop` once on SIGINT/SIGTERM; a second signal exits at once. */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => {
        logger.info('stopped cleanly');
        process.stdout.write('Siyu stopped cleanly.\n');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}
