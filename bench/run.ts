/**
 * `npm run bench -- <name> [--json] [benchmark options]`
 * Runs bench/<name>.bench.ts. With --json prints one JSON document:
 * { benchmark, machine: { cpus, memoryGiB, node }, results: [ { metric, value, unit, database, baseline, ratio } ] }
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadHarnessEnv } from '../src/platform/config.ts';
import { machine, type Benchmark } from './support/harness.ts';

const [name, ...rest] = process.argv.slice(2);
const json = rest.includes('--json');
const available = fs
  .readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));

if (!name || name.startsWith('-') || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name> [--json]\navailable: ${available.join(', ')}\n`);
  process.exit(name ? 2 : 0);
}

const mod = (await import(path.join(import.meta.dirname, `${name}.bench.ts`))) as { default: Benchmark };
const bench = mod.default;
const harness = loadHarnessEnv();
const started = new Date();
const results = await bench.run({
  log: (line) => process.stderr.write(`${line}\n`),
  args: rest.filter((a) => a !== '--json'),
  postgresUrl: harness.benchDatabaseUrl,
});
const report = { benchmark: bench.name, date: started.toISOString(), machine: machine(), results };

if (json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  process.stdout.write(`\n${bench.name}: ${bench.description}\n`);
  process.stdout.write(`machine: ${report.machine.cpus} CPUs, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}\n\n`);
  const rows = results.map((r) => [
    r.metric + (r.scenario ? ` (${r.scenario})` : ''),
    r.database,
    `${r.value} ${r.unit}`,
    r.baseline ? `${r.baseline.name} = ${r.baseline.value}` : '—',
    r.ratio === null ? '—' : `${r.ratio}×`,
  ]);
  const head = ['metric', 'database', 'value', 'baseline', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(head)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
}
