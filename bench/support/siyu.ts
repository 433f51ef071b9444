import { createSiyu, type Siyu } from '../../src/composition.ts';
import { systemClock, type Clock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/logger.ts';

/**
 * A quiet Siyu for a benchmark: its job client started (services enqueue inside their
 * transactions). By default no worker, so the benchmark measures only the path it drives;
 * `role: 'worker'` builds the full process (call `siyu.jobs.work()` to start its handlers).
 * Stop it with `siyu.jobs.stop()` before closing the database.
 */
export async function openBenchSiyu(database: Database, clock: Clock = systemClock, role: 'client' | 'worker' = 'client'): Promise<Siyu> {
  const siyu = createSiyu({ config: loadConfig({}, { logLevel: 'silent', seedDemo: false }), database, logger: createLogger('silent'), clock, jobsRole: role });
  await siyu.jobs.start();
  return siyu;
}
