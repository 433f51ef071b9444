import type { Config } from '../platform/config.ts';
import { ensureFirstRun, scheduleDemoSeeding } from './first-run.ts';
import { onShutdown, openSiyu } from './runtime.ts';

export type ServerRole = 'start' | 'api' | 'worker';

/**
 * The long-running roles. `start` runs API, worker and console in one process tree;
 * `api` and `worker` split them for scale against one PostgreSQL database.
 */
export async function runServer(config: Config, role: ServerRole, options: { migrate?: boolean } = {}): Promise<void> {
  const startedAt = Date.now();
  const siyu = await openSiyu(config, { migrate: options.migrate ?? role !== 'worker', role });
  const { logger } = siyu;
  await siyu.jobs.start();

  let firstRun: Awaited<ReturnType<typeof ensureFirstRun>> = null;
  let demoCustomers = 0;
  if (role === 'start' && config.seedDemo) firstRun = await ensureFirstRun(siyu);
  // The demo data is seeded by the worker after the server is listening.
  if (firstRun) demoCustomers = await scheduleDemoSeeding(siyu, firstRun.workspaceId);

  const http = role === 'worker' ? null : await siyu.createHttp();
  if (http) await http.listen({ port: config.port, host: config.host });
  if (role !== 'api') await siyu.jobs.work();

  onShutdown(logger, async () => {
    if (http) await http.close(); // stop accepting; in-flight requests finish
    siyu.demo.stop(); // a demo seeding in progress pauses at its next chunk and resumes on the next start
    await siyu.jobs.stop(); // running jobs finish, none are fetched
    await siyu.database.close();
  });

  const address = http?.server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const lines = [
    '',
    `Siyu ${role === 'worker' ? 'worker is running' : `is ready at http://${host}:${port}`}  (${siyu.database.kind} database${siyu.database.kind === 'embedded' ? `, data in ${config.dataDir}` : ''}, ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
  ];
  if (firstRun) {
    lines.push(`Demo workspace "${firstRun.workspaceName}" created. Sign in as ${firstRun.email}`);
    lines.push(firstRun.generatedPassword ? `  password: ${firstRun.generatedPassword}   (shown once; set SIYU_DEMO_PASSWORD to choose it)` : '  password: the value of SIYU_DEMO_PASSWORD');
    if (demoCustomers) lines.push(`Demo brand: ${demoCustomers} customers are being added in the background (SIYU_DEMO_CUSTOMERS; progress in the log)`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  logger.info({ role, port, database: siyu.database.kind, readyMs: Date.now() - startedAt }, 'ready');
}
