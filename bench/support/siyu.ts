import { createSiyu, type Siyu } from '../../src/composition.ts';
import { systemClock, type Clock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { newId } from '../../src/platform/ids.ts';

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

/** A workspace of its own for a benchmark's data, with a fresh owner (who may make more). */
export async function benchWorkspace(siyu: Siyu, name = 'Bench'): Promise<{ workspaceId: string; owner: { userId: string; label: string } }> {
  const user = await siyu.access.users.createUser({ email: `bench-${newId().slice(-8)}@bench.local`, password: 'bench-password-1' });
  const ws = await siyu.access.workspaces.createWorkspace({ name }, { userId: user.id, label: user.email });
  return { workspaceId: ws.id, owner: { userId: user.id, label: user.email } };
}
