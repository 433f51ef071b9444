/**
 * `siyu messages send|list|why`, `siyu dead-letters list|replay`, `siyu messaging settings
 * show|set`: the send path for scripts and operators, acting as the CLI system actor. Sends go
 * through the same guard rails and ledger as every other message; `--key` is the idempotency
 * key, so running a command again never sends twice.
 */
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { invalid } from '../../platform/errors.ts';
import { parseOrThrow } from '../../platform/validation.ts';
import { CHANNELS, PURPOSES, REASONS, SOURCE_KINDS, STATUSES } from '../../modules/messaging/index.ts';
import { ListMessagesQuerySchema, SendBodySchema } from '../../modules/messaging/messaging.schemas.ts';
import { MessagingSettingsSchema } from '../../modules/messaging/settings.schemas.ts';
import { print, run } from './output.ts';
import { ctxFor, withSiyu, workspaceOf, wsOption } from './workspace-cli.ts';

type MessageLine = { id: string; customerId: number; channel: string; status: string; reason: string | null; source: { kind: string; step: string | null }; createdAt: Date; body: string | null };

const collect = (value: string, previous: string[]) => [...previous, value];

function variablesOf(pairs: readonly string[]): Record<string, string> | undefined {
  if (!pairs.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq < 1) throw invalid('message.invalid_variable', `A variable is name=value: ${p}`, [{ field: 'variables', reason: 'invalid' }]);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** One line per message: when, customer, channel, source step, status and why it was not sent. */
function lines(items: readonly MessageLine[]): string {
  if (!items.length) return '(no messages)';
  return items
    .map((m) => `${m.createdAt.toISOString()}  ${m.id}  customer ${m.customerId}  ${m.channel}  ${m.source.kind}${m.source.step ? `/${m.source.step}` : ''}  ${m.status}${m.reason ? ` (${m.reason})` : ''}`)
    .join('\n');
}

export function registerMessagingCommands(program: Command): void {
  const messages = program.command('messages').description('Send through the guard rails and read the send ledger');

  messages
    .command('send')
    .description('Send one message (consent, caps, quiet hours, quota, template, advertising law, ledger)')
    .addOption(wsOption())
    .requiredOption('--key <key>', 'idempotency key: the same key again is the same message, never a second send')
    .requiredOption('--customer <id>', 'customer id')
    .addOption(new Option('--channel <channel>', 'channel').choices([...CHANNELS]).makeOptionMandatory())
    .option('--text <text>', 'the message text (may use {variables})')
    .option('--title <title>', 'a headline for channels that show one')
    .option('--template <id>', 'a message template instead of --text')
    .option('--var <name=value>', 'a template variable (repeatable)', collect, [])
    .addOption(new Option('--purpose <purpose>', 'transactional notices skip consent, caps and quiet hours').choices([...PURPOSES]).default('marketing'))
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; key: string; customer: string; channel: string; text?: string; title?: string; template?: string; var: string[]; purpose: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const body = parseOrThrow(SendBodySchema, {
            idempotencyKey: opts.key,
            customerId: Number(opts.customer),
            channel: opts.channel,
            purpose: opts.purpose,
            ...(opts.template ? { templateId: opts.template } : {}),
            ...(opts.text ? { content: { text: opts.text, ...(opts.title ? { title: opts.title } : {}) } } : {}),
            ...(opts.var.length ? { variables: variablesOf(opts.var) } : {}),
          });
          const ctx = ctxFor(await workspaceOf(siyu, opts.workspace));
          const [outcome] = await siyu.messaging.ledger.sendAsCaller(ctx, [body], 'cli');
          print(!!opts.json, outcome, () =>
            `${outcome!.duplicate ? 'already recorded' : 'recorded'}: message ${outcome!.messageId} ${outcome!.status}${outcome!.reason ? ` (${outcome!.reason})` : ''}${outcome!.releaseAt ? `, held until ${outcome!.releaseAt.toISOString()}` : ''}`,
          );
          return outcome!.status === 'suppressed' || outcome!.status === 'failed' ? 3 : 0;
        }),
      ),
    );

  messages
    .command('list')
    .description('The send ledger, newest first')
    .addOption(wsOption())
    .addOption(new Option('--status <status>', 'only this status').choices([...STATUSES]))
    .addOption(new Option('--reason <reason>', 'only messages not sent for this reason').choices([...REASONS]))
    .addOption(new Option('--channel <channel>', 'only this channel').choices([...CHANNELS]))
    .addOption(new Option('--source-kind <kind>', 'only from this kind of source').choices([...SOURCE_KINDS]))
    .option('--source-id <id>', 'only from this source (e.g. a journey id)')
    .option('--customer <id>', 'only to this customer')
    .option('--limit <n>', 'at most n (1–200)', '50')
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; status?: string; reason?: string; channel?: string; sourceKind?: string; sourceId?: string; customer?: string; limit: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const query = parseOrThrow(ListMessagesQuerySchema, {
            status: opts.status, reason: opts.reason, channel: opts.channel, sourceKind: opts.sourceKind, sourceId: opts.sourceId, customerId: opts.customer, limit: opts.limit,
          });
          const page = await siyu.messaging.ledger.list(ctxFor(await workspaceOf(siyu, opts.workspace)), query);
          print(!!opts.json, page, () => lines(page.items));
        }),
      ),
    );

  messages
    .command('why <customerId>')
    .description("A customer's messages with the reason each one was not sent")
    .addOption(wsOption())
    .option('--json', 'print JSON')
    .action((customerId: string, opts: { workspace?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const id = Number(customerId);
          if (!Number.isSafeInteger(id) || id <= 0) throw invalid('customer.invalid_id', `Not a customer id: ${customerId}`);
          const r = await siyu.messaging.ledger.forCustomer(ctxFor(await workspaceOf(siyu, opts.workspace)), id, { limit: 50 });
          print(!!opts.json, r, () =>
            [`customer ${id}: ${r.summary.map((s) => `${s.count} ${s.status}${s.reason ? ` (${s.reason})` : ''}`).join(', ') || 'no messages'}`, lines(r.items)].join('\n'),
          );
        }),
      ),
    );

  const dead = program.command('dead-letters').description('Deliveries that failed after every retry');

  dead
    .command('list')
    .description('Failed deliveries, newest first, with their last error')
    .addOption(wsOption())
    .option('--limit <n>', 'at most n (1–200)', '50')
    .option('--json', 'print JSON')
    .action((opts: { workspace?: string; limit: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const page = await siyu.messaging.ledger.list(ctxFor(await workspaceOf(siyu, opts.workspace)), parseOrThrow(ListMessagesQuerySchema, { status: 'failed', limit: opts.limit }));
          print(!!opts.json, page, () => (page.items.length ? page.items.map((m) => `${m.id}  customer ${m.customerId}  ${m.channel}  attempts ${m.attempts}  ${m.lastError ?? ''}`).join('\n') : '(no dead letters)'));
        }),
      ),
    );

  dead
    .command('replay [ids...]')
    .description('Queue dead letters for delivery again (consent is checked again); --all for every one')
    .addOption(wsOption())
    .option('--all', 'every dead letter of the workspace')
    .option('--json', 'print JSON')
    .action((ids: string[], opts: { workspace?: string; all?: boolean; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const ctx = ctxFor(await workspaceOf(siyu, opts.workspace));
          if (!opts.all && !ids.length) throw invalid('dead_letters.none_named', 'Name message ids, or give --all');
          let chosen = ids;
          if (opts.all) {
            chosen = [];
            for (let cursor: string | undefined; ; ) {
              const page = await siyu.messaging.ledger.list(ctx, parseOrThrow(ListMessagesQuerySchema, { status: 'failed', limit: 200, cursor }));
              chosen.push(...page.items.map((m) => m.id));
              if (!page.nextCursor) break;
              cursor = page.nextCursor;
            }
          }
          const r = chosen.length ? await siyu.messaging.ledger.replay(ctx, chosen) : { replayed: [], skipped: [] };
          print(!!opts.json, r, () => `replayed ${r.replayed.length}${r.skipped.length ? `; not dead letters (skipped): ${r.skipped.join(', ')}` : ''}`);
        }),
      ),
    );

  const messaging = program.command('messaging').description('Workspace messaging settings');
  const settings = messaging.command('settings').description('Caps, quiet hours, quotas, drivers, retries, advertising-law terms');

  settings
    .command('show')
    .description('The current settings (JSON), with quota usage')
    .addOption(wsOption())
    .action((opts: { workspace?: string }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const r = await siyu.messaging.settings.get(ctxFor(await workspaceOf(siyu, opts.workspace)));
          print(true, r, () => '');
        }),
      ),
    );

  settings
    .command('set')
    .description('Replace the settings with a JSON file (the "settings" object of `show`); invalid settings change nothing')
    .addOption(wsOption())
    .requiredOption('--file <path>', 'a JSON file')
    .action((opts: { workspace?: string; file: string }) =>
      run(() =>
        withSiyu(async (siyu) => {
          let raw: unknown;
          try {
            raw = JSON.parse(fs.readFileSync(opts.file, 'utf8'));
          } catch (err) {
            throw invalid('settings.unreadable', `Cannot read ${opts.file} as JSON: ${(err as Error).message}`);
          }
          const body = parseOrThrow(MessagingSettingsSchema, raw);
          const ctx = ctxFor(await workspaceOf(siyu, opts.workspace));
          await siyu.messaging.settings.put(ctx, body);
          process.stdout.write('settings saved\n');
        }),
      ),
    );
}
