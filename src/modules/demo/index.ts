/**
 * The demo brand: a deterministic generator of a beauty brand's private-domain data and its two
 * loaders (through the ingestion services, or in bulk for benchmarks), `siyu seed --demo`, and
 * the first-start seeding job.
 */
import type { JobDefinition } from '../../platform/jobs/jobs.ts';
import type { DemoDeps } from './demo.deps.ts';
import { createDemoService, type SeedRequest, type SeedSummary } from './demo.service.ts';
import { SeedInterrupted } from './service-loader.ts';

export { demoDepsFrom, type DemoDeps, type DemoModules, type IngestSummary, type UpsertSummary } from './demo.deps.ts';
export { DEFAULT_DEMO_SEED, SERVICE_PATH_LIMIT, type SeedRequest, type SeedSummary } from './demo.service.ts';
export { SeedInterrupted } from './service-loader.ts';
export { createDemoContext, generatePerson, startOfDay, GENERATOR_VERSION, type DemoContext, type DemoPerson, type DemoOptions } from './generator.ts';
export { BRAND, CHANNELS, LURES, PRODUCTS, ADVISORS } from './catalog.ts';

export const DEMO_SEED_JOB = 'demo.seed';

/** What the first start enqueues: the demo's size, seed and fixed "now". */
export interface DemoSeedJobData {
  workspaceId: string;
  customers: number;
  seed: number;
  anchor: string;
}

export function createDemoModule(deps: DemoDeps) {
  const service = createDemoService(deps);
  let stopping = new AbortController();

  /**
   * The background seeding job of the first start. Interrupted (shutdown), it re-enqueues itself
   * and returns; the next start resumes after the chunks already stored.
   */
  function seedJob(enqueue: (data: DemoSeedJobData) => Promise<unknown>): JobDefinition<DemoSeedJobData> {
    return {
      name: DEMO_SEED_JOB,
      // A hard kill leaves the job active until it expires; it then runs again and resumes.
      queue: { expireInSeconds: 3600, retryLimit: 20, retryDelay: 5 },
      handler: async (jobs) => {
        for (const job of jobs) {
          const data = job.data;
          let next = 0;
          try {
            await service.seed({
              ...data,
              anchor: new Date(data.anchor),
              method: 'services',
              batchSize: 250,
              signal: AbortSignal.any([job.signal, stopping.signal]),
              onProgress: (p) => {
                if (p.persons >= next || p.persons === p.total) {
                  deps.logger.info({ workspaceId: data.workspaceId, persons: p.persons, total: p.total }, `demo brand: ${p.persons}/${p.total} customers`);
                  next = p.persons + Math.max(1, Math.ceil(p.total / 10));
                }
              },
            });
          } catch (err) {
            if (!(err instanceof SeedInterrupted)) throw err;
            await enqueue(data);
            deps.logger.info({ workspaceId: data.workspaceId }, 'demo seeding paused; it resumes on the next start');
          }
        }
      },
    };
  }

  return {
    seed: (request: SeedRequest): Promise<SeedSummary> => service.seed(request),
    seedJob,
    /** Asks running seedings to stop at their next chunk (shutdown). */
    stop(): void {
      stopping.abort();
      stopping = new AbortController();
    },
  };
}

export type DemoModule = ReturnType<typeof createDemoModule>;
