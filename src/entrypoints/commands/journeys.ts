/**
 * `siyu journeys list|show|activate|pause|resume|stop|enroll|playbooks|from-playbook`:
 * journeys for integrators and operators, scriptable (--json), acting as the CLI system actor.
 */
import { Option, type Command } from 'commander';
import { invalid, notFound } from '../../platform/errors.ts';
import { findPlaybook, PLAYBOOKS } from '../../modules/journeys/index.ts';
import { FromPlaybookBodySchema } from '../../modules/journeys/journeys-api.schemas.ts';
import { parseOrThrow } from '../../platform/validation.ts';
import { print, run } from './output.ts';
import { ctxFor, withSiyu, workspaceOf, wsOption, type CliSiyu } from './workspace-cli.ts';
import { isUuid } from '../../platform/ids.ts';

type Siyu = CliSiyu;
type JourneyView = Awaited<ReturnType<Siyu['journeys']['journeys']['get']>>;

const STATUSES = ['draft', 'active', 'paused', 'stopped'] as const;

const journeyId = (text: string) => {
  if (!isUuid(text)) throw invalid('journey.invalid_id', `Not a journey id: ${text}`);
  return text.toLowerCase();
};
const customerId = (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid('customer.invalid_id', `Not a customer id: ${text}`);
  return n;
};
const at = (d: Date | null) => (d ? d.toISOString() : '-');

function summaryLine(j: Pick<JourneyView, 'id' | 'name' | 'status' | 'liveVersion' | 'latestVersion' | 'triggerType' | 'inFlight' | 'nextFireAt'>): string {
  const version = j.liveVersion ? `v${j.liveVersion}${j.latestVersion !== j.liveVersion ? ` (draft v${j.latestVersion})` : ''}` : `v${j.latestVersion}`;
  return `${j.id}  ${j.status.padEnd(7)}  ${version.padEnd(5)}  ${j.triggerType.padEnd(8)}  in flight ${String(j.inFlight).padStart(5)}  ${j.nextFireAt ? `next fire ${j.nextFireAt.toISOString()}  ` : ''}${j.name}`;
}

function describeJourney(j: JourneyView): string {
  return [
    summaryLine(j),
    j.description ? `  ${j.description}` : '',
    `  trigger: ${JSON.stringify(j.definition.trigger)}`,
    ...j.definition.steps.map((s) => `  step ${s.id} (${s.type})${s.name ? ` ${s.name}` : ''}`),
    `  re-entry: ${j.definition.reentry.mode}${j.definition.reentry.mode === 'after_days' ? ` ${j.definition.reentry.days} days` : ''}`,
    j.definition.exits.length ? `  exits: ${j.definition.exits.map((e) => (e.type === 'event' ? `event ${e.eventType}` : e.type)).join(', ')}` : '',
    j.definition.goal ? `  goal: ${j.definition.goal.eventType} within ${j.definition.goal.withinDays} days` : '',
    `  activated ${at(j.activatedAt)}  paused ${at(j.pausedAt)}  stopped ${at(j.stoppedAt)}`,
    ...(j.issues.length ? ['  issues:', ...j.issues.map((i) => `    ${i.message ?? `${i.field}: ${i.reason}`}`)] : []),
  ]
    .filter(Boolean)
    .join('\n');
}

export function registerJourneyCommands(program: Command): void {
  const journeys = program.command('journeys').description('Journeys: list, inspect, go live, pause, resume, stop, enroll; built-in playbooks');

  journeys
    .command('list')
    .description('Journeys, most recently changed first, with how many customers are in each')
    .addOption(wsOption())
    .addOption(new Option('--status <status>', 'only journeys in this status').choices([...STATUSES]))
    .option('--q <text>', 'name contains')
    .option('--limit <n>', 'at most n', '50')
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; status?: (typeof STATUSES)[number]; q?: string; limit: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const page = await siyu.journeys.journeys.list(ctxFor(await workspaceOf(siyu, opts.workspace)), {
            status: opts.status,
            q: opts.q,
            limit: Math.min(200, Math.max(1, Number(opts.limit) || 50)),
          });
          print(!!opts.json, page, () => page.items.map(summaryLine).join('\n') || 'no journeys');
        }),
      ),
    );

  journeys
    .command('show <id>')
    .description('A journey: its definition, what keeps it from going live, and with --stats its funnel and A/B results')
    .addOption(wsOption())
    .option('--stats', 'also the funnel per step and the variants')
    .option('--json', 'print JSON')
    .action((id: string, opts: { workspace?: string; stats?: boolean; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const ctx = ctxFor(await workspaceOf(siyu, opts.workspace));
          const j = await siyu.journeys.journeys.get(ctx, journeyId(id));
          const stats = opts.stats ? await siyu.journeys.stats.stats(ctx, j.id) : null;
          print(!!opts.json, stats ? { ...j, stats } : j, () => {
            const lines = [describeJourney(j)];
            if (stats) {
              const t = stats.totals;
              lines.push(`entered ${t.entered}, active ${t.active} (waiting ${t.waiting}), completed ${t.completed}, exited ${t.exited}, converted ${t.converted}`);
              for (const s of stats.steps) {
                const suppressed = s.suppressed.map((x) => `${x.reason} ${x.count}`).join(', ');
                const tasks = s.type === 'task' ? `, tasks open ${s.tasks.open} done ${s.tasks.done} skipped ${s.tasks.skipped}` : '';
                lines.push(`  ${s.id.padEnd(16)} entered ${s.entered}, waiting ${s.waiting}, sent ${s.sent}, held ${s.held}${s.cancelled ? `, withdrawn ${s.cancelled}` : ''}${suppressed ? `, suppressed ${suppressed}` : ''}${tasks}, converted ${s.converted}`);
              }
              for (const v of stats.variants) lines.push(`  variant ${v.key}${v.isControl ? ' (control)' : ''}: entered ${v.entered}, converted ${v.converted}${v.confidence !== null ? `, confidence ${(v.confidence * 100).toFixed(1)}%` : ''}`);
              for (const r of stats.exitReasons) lines.push(`  exited ${r.reason}: ${r.count}`);
            }
            return lines.join('\n');
          });
        }),
      ),
    );

  for (const action of ['activate', 'pause', 'resume'] as const) {
    const description = {
      activate: 'Activate a draft or stopped journey (its latest version goes live; refused with the issues if it is not valid)',
      pause: 'Pause: no one enters and due steps hold until resumed',
      resume: 'Resume a paused journey: held steps run now; schedule fires missed in the pause are skipped',
    }[action];
    journeys
      .command(`${action} <id>`)
      .description(description)
      .addOption(wsOption())
      .option('--json', 'print JSON')
      .action((id: string, opts: { workspace?: string; json?: boolean }) =>
        run(() =>
          withSiyu(async (siyu) => {
            const j = await siyu.journeys.journeys[action](ctxFor(await workspaceOf(siyu, opts.workspace)), journeyId(id));
            print(!!opts.json, j, () => summaryLine(j));
          }),
        ),
      );
  }

  journeys
    .command('stop <id>')
    .description('Stop: everyone in flight exits with reason "stopped" and held messages are withdrawn')
    .addOption(wsOption())
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { workspace?: string; reason?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const j = await siyu.journeys.journeys.stop(ctxFor(await workspaceOf(siyu, opts.workspace)), journeyId(id), opts.reason);
          print(!!opts.json, j, () => summaryLine(j));
        }),
      ),
    );

  journeys
    .command('enroll <id> <customerIds...>')
    .description('Enroll customers by id into an active journey (re-entry rules apply); their first steps run at once')
    .addOption(wsOption())
    .option('--occurrence <name>', 'names this entry; the same occurrence never enrolls a customer twice')
    .option('--json', 'print JSON')
    .action((id: string, ids: string[], opts: { workspace?: string; occurrence?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const customers = ids.map(customerId);
          if (customers.length > 1000) throw invalid('journey.too_many', 'Enroll at most 1,000 customers at a time');
          const r = await siyu.journeys.enrollments.enroll(ctxFor(await workspaceOf(siyu, opts.workspace)), journeyId(id), customers, opts.occurrence);
          print(!!opts.json, r, () => `${r.enrolled} of ${r.requested} enrolled${r.skipped.length ? `; skipped (already in, kept out by re-entry, unknown or merged): ${r.skipped.join(' ')}` : ''}`);
        }),
      ),
    );

  journeys
    .command('playbooks')
    .description('Built-in playbooks (lifecycle journeys and group SOPs)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      run(async () => {
        print(!!opts.json, PLAYBOOKS, () => PLAYBOOKS.map((p) => `${p.key.padEnd(24)} ${p.category.padEnd(10)} ${p.name.zh} / ${p.name.en}`).join('\n'));
      }),
    );

  journeys
    .command('from-playbook <key>')
    .description('Create a journey from a playbook; with --activate it also goes live (or the issues are printed)')
    .addOption(wsOption())
    .option('--name <name>', 'the journey name (default: the playbook name)')
    .option('--activate', 'activate it at once')
    .option('--group <id>', 'group SOPs: a group to post to, e.g. a WeCom chat id (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--json', 'print JSON')
    .action((key: string, opts: { workspace?: string; name?: string; activate?: boolean; group: string[]; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const playbook = findPlaybook(key);
          if (!playbook) throw notFound('journey.playbook_not_found', `No playbook ${key} (see \`siyu journeys playbooks\`)`);
          const options = parseOrThrow(FromPlaybookBodySchema, { name: opts.name, activate: !!opts.activate, ...(opts.group.length ? { groupIds: opts.group } : {}) });
          const j = await siyu.journeys.journeys.createFromPlaybook(ctxFor(await workspaceOf(siyu, opts.workspace)), playbook, options);
          print(!!opts.json, j, () => describeJourney(j));
        }),
      ),
    );
}
