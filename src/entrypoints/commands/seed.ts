/**
 * `siyu seed --demo [--customers N] [--seed S] [--workspace id] [--anchor date] [--json]`:
 * fills a workspace with the demo brand. Deterministic (same seed, size and anchor: the same
 * data) and idempotent (seeding again stores nothing twice).
 */
import cliProgress from 'cli-progress';
import { DateTime } from 'luxon';
import { Option, type Command } from 'commander';
import { invalid, notFound } from '../../platform/errors.ts';
import { DEFAULT_DEMO_SEED, SERVICE_PATH_LIMIT, type SeedSummary } from '../../modules/demo/index.ts';
import { ensureFirstRun } from '../first-run.ts';
import { configOrExit, openSiyu } from '../runtime.ts';
import { print, run } from './output.ts';

type Siyu = Awaited<ReturnType<typeof openSiyu>>;

interface SeedOptions {
  demo?: boolean;
  customers: number;
  seed: number;
  workspace?: string;
  anchor?: string;
  ordersPerCustomer?: number;
  method: 'auto' | 'services' | 'bulk';
  json?: boolean;
}

const wholeNumber = (name: string) => (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw invalid('demo.invalid_option', `${name} must be a whole number ≥ 0, not "${text}"`, [{ field: name, reason: 'invalid' }]);
  return n;
};

const positiveNumber = (text: string) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw invalid('demo.invalid_option', `--orders-per-customer must be a positive number, not "${text}"`, [{ field: 'ordersPerCustomer', reason: 'invalid' }]);
  return n;
};

/** The workspace to seed: --workspace, else the demo workspace (created on a new database). */
async function targetWorkspace(siyu: Siyu, id: string | undefined): Promise<{ id: string; timeZone: string; created: Awaited<ReturnType<typeof ensureFirstRun>> }> {
  if (id) {
    const ws = await siyu.db.selectFrom('workspaces').select(['id', 'time_zone']).where('id', '=', id).executeTakeFirst();
    if (!ws) throw notFound('workspace.not_found', `No workspace ${id}`);
    return { id: ws.id, timeZone: ws.time_zone, created: null };
  }
  const created = await ensureFirstRun(siyu);
  const demos = await siyu.db.selectFrom('workspaces').select(['id', 'time_zone']).where('is_demo', '=', true).limit(2).execute();
  if (demos.length !== 1) throw invalid('workspace.required', 'Name the workspace to seed with --workspace <id> (see `siyu workspace list`)');
  return { id: demos[0]!.id, timeZone: demos[0]!.time_zone, created };
}

/** --anchor: a date (the start of that day in the workspace time zone) or an ISO instant. */
function parseAnchor(text: string | undefined, timeZone: string): Date | undefined {
  if (!text) return undefined;
  const dt = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone: timeZone }) : DateTime.fromISO(text, { setZone: true });
  if (!dt.isValid) throw invalid('demo.invalid_anchor', `--anchor must be a date (2025-11-24) or an ISO time, not "${text}"`, [{ field: 'anchor', reason: 'invalid_date' }]);
  return dt.toJSDate();
}

function progressBar(enabled: boolean) {
  if (!enabled) return { update: (_p: { persons: number; total: number }) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ format: 'demo brand [{bar}] {percentage}% {value}/{total} customers', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update: (p: { persons: number; total: number }) => {
      if (!started) bar.start(p.total, 0);
      started = true;
      bar.update(p.persons);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

function describe(s: SeedSummary): string {
  const lines = [
    `seeded the demo brand (${s.persons} persons) into workspace ${s.workspaceId}, which now holds ${s.customers} customers, ${s.events} events, ${s.orders} orders (${s.method}, ${s.seconds} s)`,
    `seed ${s.seed}, anchor ${s.anchor}; ${s.merged} customers merged by OneID${s.skippedChunks ? `; ${s.skippedChunks} chunks were already stored` : ''}`,
  ];
  if (s.bulk) lines.push(`bulk: ${s.bulk.total.toFixed(1)} s in all, of which waiting for COPY ${s.bulk.copyWait.toFixed(1)} s and rebuilding the aggregates ${s.bulk.stats.toFixed(1)} s`);
  return lines.join('\n');
}

export function registerSeedCommands(program: Command): void {
  program
    .command('seed')
    .description('Fill a workspace with the demo brand (a beauty brand\'s customers, events and orders over 12 months); deterministic and idempotent')
    .option('--demo', 'seed the demo brand')
    .addOption(new Option('--customers <n>', 'customers to generate').argParser(wholeNumber('customers')).default(20_000))
    .addOption(new Option('--seed <s>', 'random seed: the same seed gives the same data').argParser(wholeNumber('seed')).default(DEFAULT_DEMO_SEED))
    .option('--workspace <id>', 'workspace to seed (default: the demo workspace, created on a new database)')
    .option('--anchor <date>', 'the demo\'s "now" (data lies before it); default: the start of today in the workspace time zone')
    .addOption(new Option('--method <method>', `services, or bulk COPY for large sizes (auto: bulk above ${SERVICE_PATH_LIMIT})`).choices(['auto', 'services', 'bulk']).default('auto'))
    .addOption(new Option('--orders-per-customer <x>', 'benchmarks: mean orders per customer to aim for').argParser(positiveNumber))
    .option('--json', 'print JSON')
    .action((opts: SeedOptions) =>
      run(async () => {
        if (!opts.demo) throw invalid('seed.kind_required', 'Say what to seed: --demo');
        const siyu = await openSiyu(configOrExit({ logLevel: 'warn' }), { migrate: true, role: 'cli' });
        const bar = progressBar(!opts.json && !!process.stderr.isTTY);
        try {
          const ws = await targetWorkspace(siyu, opts.workspace);
          const summary = await siyu.demo.seed({
            workspaceId: ws.id,
            customers: opts.customers,
            seed: opts.seed,
            anchor: parseAnchor(opts.anchor, ws.timeZone),
            method: opts.method,
            ordersPerCustomer: opts.ordersPerCustomer,
            onProgress: bar.update,
          });
          bar.stop();
          const signIn = ws.created ? { email: ws.created.email, generatedPassword: ws.created.generatedPassword } : null;
          print(!!opts.json, { ...summary, signIn }, () =>
            [describe(summary), signIn ? `sign in as ${signIn.email}${signIn.generatedPassword ? `, password: ${signIn.generatedPassword}   (shown once)` : ''}` : '']
              .filter(Boolean)
              .join('\n'),
          );
        } finally {
          bar.stop();
          await siyu.database.close();
        }
      }),
    );
}
