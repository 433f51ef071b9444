/**
 * `siyu customers show|search|merge|unmerge|rebuild-stats`, `siyu events send`,
 * `siyu identity-types list|add`: scriptable (--json), acting as the CLI system actor.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { Option, type Command } from 'commander';
import { invalid } from '../../platform/errors.ts';
import { MAX_EVENTS_PER_BATCH, type EventOutcome } from '../../modules/events/index.ts';
import { print, run } from './output.ts';
import { ctxFor, withSiyu, workspaceOf, wsOption } from './workspace-cli.ts';


const customerId = (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid('customer.invalid_id', `Not a customer id: ${text}`);
  return n;
};

export function registerCustomerCommands(program: Command): void {
  const customers = program.command('customers').description('Customers and OneID: profiles, search, merges, aggregates');

  customers
    .command('show <id>')
    .description('A customer profile with identities and aggregates')
    .addOption(wsOption())
    .option('--json', 'print JSON')
    .action((id: string, opts: { workspace?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const p = await siyu.customers.service.profile(ctxFor(await workspaceOf(siyu, opts.workspace)), customerId(id));
          print(!!opts.json, p, () =>
            [
              `customer ${p.id}${p.mergedInto ? ` (merged into ${p.mergedInto})` : ''}  ${p.name ?? ''} ${p.nickname ? `(${p.nickname})` : ''}`,
              `mobile ${p.mobile ?? '-'}  city ${p.city ?? '-'}  consent ${p.consentStatus}  joined ${p.joinedAt?.toISOString() ?? '-'}`,
              ...p.identities.map((i) => `  ${i.type}${i.scope ? `@${i.scope}` : ''} = ${i.value}${i.verified ? ' (verified)' : ''}`),
              p.stats
                ? `orders ${p.stats.paidOrderCount}, paid ${(p.stats.paidAmountFen / 100).toFixed(2)} CNY, 30d ${p.stats.windows.d30.orders}, interactions ${p.stats.interactionCount}`
                : '',
            ].join('\n'),
          );
        }),
      ),
    );

  customers
    .command('search')
    .description('Search customers (newest first)')
    .addOption(wsOption())
    .option('--q <text>', 'name or nickname contains')
    .option('--phone <phone>', 'full number, 138****8888, or last four digits')
    .option('--identity <type:value>', 'an identity, e.g. wechat_unionid:o6_bmjr...')
    .option('--limit <n>', 'at most n', '20')
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; q?: string; phone?: string; identity?: string; limit: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const [identityType, ...value] = opts.identity ? opts.identity.split(':') : [];
          const page = await siyu.customers.service.list(ctxFor(await workspaceOf(siyu, opts.workspace)), {
            q: opts.q,
            phone: opts.phone,
            ...(identityType ? { identityType, identityValue: value.join(':') } : {}),
            limit: Math.min(200, Math.max(1, Number(opts.limit) || 20)),
          });
          print(!!opts.json, page, () => page.items.map((c) => `${c.id}  ${c.name ?? '-'}  ${c.nickname ?? '-'}  ${c.mobile ?? '-'}  orders ${c.paidOrderCount}`).join('\n') || 'no customers');
        }),
      ),
    );

  customers
    .command('merge <survivorId> <otherId>')
    .description('Merge <otherId> into <survivorId> (recorded; undo with `siyu customers unmerge <mergeId>`)')
    .addOption(wsOption())
    .option('--note <text>', 'why')
    .option('--json', 'print JSON')
    .action((survivor: string, other: string, opts: { workspace?: string; note?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const r = await siyu.customers.reviews.mergeManually(ctxFor(await workspaceOf(siyu, opts.workspace)), customerId(survivor), customerId(other), opts.note);
          print(!!opts.json, r, () => `merged ${r.mergedId} into ${r.survivorId} (merge ${r.mergeId})`);
        }),
      ),
    );

  customers
    .command('unmerge <mergeId>')
    .description('Undo a merge')
    .addOption(wsOption())
    .option('--json', 'print JSON')
    .action((mergeId: string, opts: { workspace?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const r = await siyu.customers.reviews.undoMerge(ctxFor(await workspaceOf(siyu, opts.workspace)), mergeId);
          print(!!opts.json, r, () => `restored customer ${r.restoredId} from ${r.survivorId}`);
        }),
      ),
    );

  customers
    .command('rebuild-stats')
    .description('Recompute every customer aggregate from the raw events and orders (all workspaces unless --workspace)')
    .addOption(wsOption())
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const ids = opts.workspace ? [await workspaceOf(siyu, opts.workspace)] : (await siyu.db.selectFrom('workspaces').select('id').execute()).map((w) => w.id);
          const started = performance.now();
          const out: { workspaceId: string; customers: number }[] = [];
          for (const id of ids) out.push({ workspaceId: id, ...(await siyu.customers.stats.rebuild(id)) });
          const seconds = (performance.now() - started) / 1000;
          print(!!opts.json, { workspaces: out, seconds }, () => out.map((o) => `${o.workspaceId}: ${o.customers} customers rebuilt`).concat(`${seconds.toFixed(1)} s`).join('\n'));
        }),
      ),
    );

  registerEventCommands(program);
  registerIdentityTypeCommands(program);
}

function registerEventCommands(program: Command): void {
  program
    .command('events')
    .description('Send events')
    .command('send')
    .description(`Send events from an NDJSON file (one event per line) in batches of ${MAX_EVENTS_PER_BATCH}`)
    .requiredOption('--file <path>', 'NDJSON file, or - for standard input')
    .addOption(wsOption())
    .option('--json', 'print JSON')
    .action((opts: { file: string; workspace?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const ctx = ctxFor(await workspaceOf(siyu, opts.workspace));
          const input = opts.file === '-' ? process.stdin : fs.createReadStream(opts.file);
          const summary = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, problems: [] as { line: number; id: string | null; field?: string | undefined; reason?: string | undefined; message?: string | undefined }[] };
          let batch: { line: number; event: unknown }[] = [];
          const flush = async () => {
            if (!batch.length) return;
            const r = await siyu.events.ingestEvents(ctx, batch.map((b) => b.event), { source: 'cli' });
            summary.accepted += r.accepted;
            summary.duplicates += r.duplicates;
            summary.rejected += r.rejected;
            r.results.forEach((o: EventOutcome, i) => {
              if (o.status === 'rejected') summary.problems.push({ line: batch[i]!.line, id: o.id, field: o.field, reason: o.reason, message: o.message });
            });
            batch = [];
          };
          for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
            summary.lines++;
            if (!text.trim()) continue;
            let event: unknown;
            try {
              event = JSON.parse(text);
            } catch (err) {
              summary.rejected++;
              summary.problems.push({ line: summary.lines, id: null, reason: 'invalid_json', message: (err as Error).message });
              continue;
            }
            batch.push({ line: summary.lines, event });
            if (batch.length === MAX_EVENTS_PER_BATCH) await flush();
          }
          await flush();
          summary.problems.sort((a, b) => a.line - b.line);
          print(!!opts.json, summary, () =>
            [
              `${summary.lines} lines: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected`,
              ...summary.problems.slice(0, 50).map((p) => `  line ${p.line}${p.id ? ` (${p.id})` : ''}: ${p.field ?? ''} ${p.reason}: ${p.message ?? ''}`),
              summary.problems.length > 50 ? `  … ${summary.problems.length - 50} more (use --json for all)` : '',
            ].filter(Boolean).join('\n'),
          );
          // Scripts can tell a partly rejected file from a clean one.
          if (summary.rejected) process.exitCode = 3;
        }),
      ),
    );
}

function registerIdentityTypeCommands(program: Command): void {
  const types = program.command('identity-types').description('Identity types (built-in and custom)');
  types
    .command('list')
    .addOption(wsOption())
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const r = await siyu.customers.settings.listIdentityTypes(ctxFor(await workspaceOf(siyu, opts.workspace)));
          print(!!opts.json, r.items, () => r.items.map((t) => `${t.key.padEnd(24)} ${t.strength.padEnd(18)} ${t.isScoped ? 'scoped  ' : '        '} ${t.labelZh} / ${t.labelEn}`).join('\n'));
        }),
      ),
    );
  types
    .command('add <key>')
    .description('Add a custom identity type')
    .addOption(wsOption())
    .requiredOption('--label-zh <text>', 'Chinese label')
    .requiredOption('--label-en <text>', 'English label')
    .addOption(new Option('--strength <s>', 'strong links customers for sure; weak only suggests').choices(['strong', 'weak', 'strong_if_verified']).default('weak'))
    .option('--scoped', 'values are unique only within a scope (app id, corp id)')
    .addOption(new Option('--normalizer <n>', 'how values are normalised').choices(['trim', 'lowercase', 'mobile', 'email']).default('trim'))
    .option('--json', 'print JSON')
    .action((key: string, opts: { workspace?: string; labelZh: string; labelEn: string; strength: string; scoped?: boolean; normalizer: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          if (!/^[a-z][a-z0-9_]{1,40}$/.test(key)) throw invalid('identity_type.invalid_key', 'Keys are lowercase letters, digits and _ (2-41 characters)');
          const t = await siyu.customers.settings.addIdentityType(ctxFor(await workspaceOf(siyu, opts.workspace)), {
            key,
            labelZh: opts.labelZh,
            labelEn: opts.labelEn,
            strength: opts.strength,
            isScoped: !!opts.scoped,
            normalizer: opts.normalizer,
          });
          print(!!opts.json, t, () => `added identity type ${t.key} (${t.strength})`);
        }),
      ),
    );
}
