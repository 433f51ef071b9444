import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { invalid, notFound } from '../../platform/errors.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ENCODING_CHOICES, errorReportCsv, PRESET_NAMES, type EncodingChoice, type ImportFile, type ImportProgress, type ImportSummary, type RowError } from '../../modules/imports/index.ts';
import { configOrExit, openSiyu } from '../runtime.ts';
import { print, run } from './output.ts';

interface ImportCliOptions {
  file: string;
  mapping: string;
  dryRun?: boolean;
  skipBadRows?: boolean;
  encoding: EncodingChoice;
  workspace?: string;
  param: string[];
  force?: boolean;
  errorsOut?: string;
  json?: boolean;
}

/** A file, or every .csv of a directory in name order (one import). */
export function readImportFiles(target: string): { files: ImportFile[]; label: string } {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw invalid('import.file_not_found', `No such file or directory: ${target}`);
  if (fs.statSync(abs).isDirectory()) {
    const names = fs.readdirSync(abs).filter((f) => f.toLowerCase().endsWith('.csv')).sort();
    if (!names.length) throw invalid('import.no_csv_files', `No .csv files in ${target}`);
    return { files: names.map((name) => ({ name, bytes: fs.readFileSync(path.join(abs, name)) })), label: `${path.basename(abs)}/ (${names.length} files)` };
  }
  return { files: [{ name: path.basename(abs), bytes: fs.readFileSync(abs) }], label: path.basename(abs) };
}

function progressReporter(json: boolean): { update(p: ImportProgress): void; stop(): void } {
  if (json) return { update: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ format: '{phase} [{bar}] {percentage}% {value}/{total}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
    let phase = '';
    return {
      update: (p) => {
        const label = p.phase === 'reading' ? 'reading bytes' : 'writing orders';
        if (phase !== label) {
          if (phase) bar.stop();
          bar.start(p.total, 0, { phase: label.padEnd(14) });
          phase = label;
        }
        bar.update(p.done, { phase: label.padEnd(14) });
      },
      stop: () => phase && bar.stop(),
    };
  }
  // Not a terminal: a plain line per phase and every 10%.
  let lastKey = '';
  return {
    update: (p) => {
      const pct = Math.floor((10 * p.done) / Math.max(1, p.total)) * 10;
      const key = `${p.phase}:${pct}`;
      if (key === lastKey) return;
      lastKey = key;
      process.stderr.write(`${p.phase} ${pct}% (${p.done}/${p.total})\n`);
    },
    stop: () => {},
  };
}

function humanSummary(kind: string, s: ImportSummary, errors: RowError[], importId: string | null): string {
  const lines = [
    `${s.status === 'dry_run' ? 'dry run' : s.status}: ${s.message}${importId ? `  (import ${importId})` : ''}`,
    `files:     ${s.files.map((f) => `${f.name} [${f.encoding}, ${f.rows} rows]`).slice(0, 5).join(', ')}${s.files.length > 5 ? `, … ${s.files.length} files` : ''}`,
    `rows:      ${s.rows}  (skipped ${s.skippedRows}${s.skipped.map((x) => `: ${x.count} ${x.reason}`).join(', ')}; rejected ${s.rejectedRows})`,
    kind === 'orders'
      ? `orders:    ${s.orders}  (created ${s.ordersCreated}, updated ${s.ordersUpdated}, unchanged ${s.ordersUnchanged}${s.ordersStale ? `, older than stored ${s.ordersStale}` : ''})`
      : `customers: ${s.customerRows} rows  (events recorded ${s.eventsRecorded})`,
    `customers: created ${s.customersCreated}, merged ${s.customersMerged}`,
    `duration:  ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  if (errors.length) {
    lines.push(`rejected rows (${s.errorCount}):`);
    for (const e of errors.slice(0, 20)) lines.push(`  ${e.file}:${e.line}${e.column ? ` [${e.column}]` : ''} ${e.reason}: ${e.message}`);
    if (s.errorCount > 20) lines.push(`  … ${s.errorCount - 20} more (write them all with --errors-out <file>)`);
  }
  return lines.join('\n');
}

async function importAction(kind: 'orders' | 'customers', opts: ImportCliOptions): Promise<void> {
  const params = Object.fromEntries(
    opts.param.map((p) => {
      const i = p.indexOf('=');
      if (i < 1) throw invalid('import.invalid_param', `--param ${p}: use name=value`);
      return [p.slice(0, i), p.slice(i + 1)];
    }),
  );
  const { files, label } = readImportFiles(opts.file);
  const siyu = await openSiyu(configOrExit({ logLevel: 'warn' }), { migrate: true, role: 'cli' });
  const progress = progressReporter(!!opts.json);
  try {
    const workspaces = await siyu.db.selectFrom('workspaces').select(['id', 'name']).orderBy('created_at').execute();
    const ws = opts.workspace ? workspaces.find((w) => w.id === opts.workspace) : workspaces.length === 1 ? workspaces[0] : undefined;
    if (!ws) {
      if (opts.workspace) throw notFound('workspace.not_found', `No workspace ${opts.workspace}`);
      throw invalid('import.workspace_required', `Choose the workspace with --workspace <id>: ${workspaces.map((w) => `${w.id} (${w.name})`).join(', ') || 'none exists yet'}`);
    }
    const result = await siyu.imports.service.runLocal(systemContext(ws.id, 'cli'), files, {
      kind,
      mapping: opts.mapping,
      params,
      fileName: label,
      encoding: opts.encoding,
      skipBadRows: !!opts.skipBadRows,
      dryRun: !!opts.dryRun,
      force: !!opts.force,
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    if (opts.errorsOut) fs.writeFileSync(opts.errorsOut, errorReportCsv(result.errors));
    print(!!opts.json, { importId: result.importId, workspaceId: ws.id, ...result.summary, errors: result.errors }, () => humanSummary(kind, result.summary, result.errors, result.importId));
    if (['rejected', 'failed'].includes(result.summary.status) || (result.summary.status === 'dry_run' && result.errors.length && !opts.skipBadRows)) process.exitCode = 3;
  } finally {
    progress.stop();
    await siyu.database.close();
  }
  if (process.exitCode === 3) process.exit(3);
}

export function registerImportCommands(program: Command): void {
  const cmd = program.command('import').description('Import CSV exports of shops and WeCom (docs/import.md)');
  for (const kind of ['orders', 'customers'] as const) {
    cmd
      .command(kind)
      .description(kind === 'orders' ? 'Import orders (Taobao/Tmall, JD, Douyin shop, Youzan, UCI Online Retail, or your mapping)' : 'Import customers (the WeCom customer list, or your mapping)')
      .requiredOption('-f, --file <csv|directory>', 'a CSV file, or a directory whose .csv files are imported in name order as one import')
      .requiredOption('-m, --mapping <preset|file.json>', `a preset (${PRESET_NAMES.join(', ')}) or a mapping file`)
      .option('--dry-run', 'read and check everything, write nothing')
      .option('--skip-bad-rows', 'import the good rows and report the bad ones (default: all or nothing)')
      .addOption(new Option('--encoding <encoding>', 'file encoding').choices(ENCODING_CHOICES as string[]).default('auto'))
      .option('--workspace <id>', 'workspace to import into (needed when there is more than one)')
      .option('--param <name=value>', 'a value the mapping asks for, e.g. corpId=ww123 (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
      .option('--force', 'import even if this file was imported before (only differences apply)')
      .option('--errors-out <file>', 'write every rejected row to this CSV file')
      .option('--json', 'print JSON')
      .action((opts: ImportCliOptions) => run(() => importAction(kind, opts)));
  }
}
