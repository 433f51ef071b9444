import { createSiyu, type Siyu } from '../../src/composition.ts';
import { systemClock, type Clock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/logger.ts';

/**
 * A quiet Siyu for a benchmark: its job client started (services enqueue inside their
 * transactions) but no worker, so the benchmark measures only the path it drives.
 * Stop it with `siyu.jobs.stop()` before closing the database.
 */
export async function openBenchSiyu(database: Database, clock: Clock = systemClock): Promise<Siyu> {
  const siyu = createSiyu({ config: loadConfig({}, { logLevel: 'silent', seedDemo: false }), database, logger: createLogger('silent'), clock, jobsRole: 'client' });
  await siyu.jobs.start();
  return siyu;
}
