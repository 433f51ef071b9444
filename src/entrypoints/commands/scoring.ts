/**
 * `siyu scoring recompute [--full]` and `siyu scoring runs`: recompute every customer's RFM
 * class, lifecycle stages, value layer and tier in this process (after an import, before a
 * report, or from an operator's own schedule), and list the runs.
 */
import type { Command } from 'commander';
import { print, run } from './output.ts';
import { ctxFor, withSiyu, workspaceOf, wsOption, type CliSiyu } from './workspace-cli.ts';

type RunView = Awaited<ReturnType<CliSiyu['scoring']['recompute']['getRun']>>;

const describeRun = (r: RunView) =>
  `${r.id}  ${r.status}${r.mode ? ` (${r.mode === 'changes' ? 'by changes' : 'full'})` : ''}  ${r.trigger}  ` +
  `${r.customers} scored, ${r.changed} written, ${r.classChanged} changed class${r.seconds !== null ? `, ${r.seconds} s` : ''}` +
  `${r.timings ? ` (${Object.entries(r.timings).map(([phase, ms]) => `${phase} ${ms} ms`).join(', ')})` : ''}${r.error ? `  error: ${r.error}` : ''}`;

export function registerScoringCommands(program: Command): void {
  const scoring = program.command('scoring').description('RFM classes, lifecycle stages, value layers and tiers');

  scoring
    .command('recompute')
    .description("Recompute every customer's scores now, in this process (by changes unless a full run is needed or asked for)")
    .addOption(wsOption())
    .option('--full', 'read every customer instead of only those whose scores can have changed')
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; full?: boolean; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const ctx = ctxFor(await workspaceOf(siyu, opts.workspace));
          const { run: queued } = await siyu.scoring.recompute.request(ctx, 'manual', { full: !!opts.full });
          // Null: a worker has already taken it; report it as it stands.
          const done = (await siyu.scoring.recompute.run({ workspaceId: ctx.workspaceId, runId: queued.id })) ?? (await siyu.scoring.recompute.getRun(ctx, queued.id));
          print(!!opts.json, done, () => describeRun(done));
        }),
      ),
    );

  scoring
    .command('runs')
    .description('Recent recompute runs, newest first')
    .addOption(wsOption())
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const runs = await siyu.scoring.recompute.listRuns(ctxFor(await workspaceOf(siyu, opts.workspace)));
          print(!!opts.json, runs, () => runs.items.map(describeRun).join('\n') || 'no runs');
        }),
      ),
    );
}
