import type { Siyu } from '../composition.ts';
import { DEFAULT_DEMO_SEED, DEMO_SEED_JOB, startOfDay, type DemoSeedJobData } from '../modules/demo/index.ts';

export const DEMO_EMAIL = 'demo@siyu.local';
export const DEMO_WORKSPACE_NAME = '演示品牌';

/**
 * On the first start of a fresh database: the demo workspace and its owner. The password
 * comes from SIYU_DEMO_PASSWORD or is generated and returned (printed once by the caller).
 */
export async function ensureFirstRun(siyu: Siyu) {
  const existing = await siyu.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  const user = await siyu.access.users.createUser({
    email: DEMO_EMAIL,
    name: 'Demo Owner',
    ...(siyu.config.demoPassword ? { password: siyu.config.demoPassword } : {}),
    isInstanceAdmin: true,
  });
  const workspace = await siyu.access.workspaces.createWorkspace(
    { name: DEMO_WORKSPACE_NAME, timeZone: siyu.config.defaultTimeZone, locale: 'zh-CN', isDemo: true },
    { userId: user.id, label: user.email },
    'system:first-run',
  );
  siyu.logger.info({ workspaceId: workspace.id }, 'demo workspace created');
  return { workspaceId: workspace.id, workspaceName: workspace.name, email: user.email, generatedPassword: user.generatedPassword };
}

/**
 * Queues the demo brand's data (SIYU_DEMO_CUSTOMERS customers, 0: none) for the worker, so the
 * server is ready at once while the data fills in over the next minutes. The job is durable and
 * resumes where it stopped after Ctrl-C or a crash (see docs/demo.md).
 */
export async function scheduleDemoSeeding(siyu: Siyu, workspaceId: string): Promise<number> {
  const customers = siyu.config.demoCustomers;
  if (customers <= 0) return 0;
  const workspace = await siyu.db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirstOrThrow();
  const data: DemoSeedJobData = {
    workspaceId,
    customers,
    seed: DEFAULT_DEMO_SEED,
    anchor: startOfDay(siyu.clock.now(), workspace.time_zone).toISOString(),
  };
  await siyu.jobs.send(DEMO_SEED_JOB, data);
  return customers;
}
