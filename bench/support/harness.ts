import fs from 'node:fs';
import os from 'node:os';

export type DatabaseLabel = 'embedded' | 'postgres' | 'none';

export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  database: DatabaseLabel;
  baseline: { name: string; value: number } | null;
  /** value / baseline.value */
  ratio: number | null;
  /** What variant this row measures (e.g. new vs existing data directory). */
  scenario?: string;
  notes?: string;
}

export interface BenchContext {
  /** Print a progress line (stderr, so --json output stays clean). */
  log(line: string): void;
  args: string[];
  /** PostgreSQL for benchmarks: BENCH_DATABASE_URL, else TEST_DATABASE_URL. */
  postgresUrl: string | undefined;
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

export function result(
  metric: string,
  value: number,
  unit: string,
  database: DatabaseLabel,
  baseline?: { name: string; value: number } | null,
  extra: Partial<Pick<BenchResult, 'scenario' | 'notes'>> = {},
): BenchResult {
  const ratio = baseline && baseline.value !== 0 ? round(value / baseline.value, 3) : null;
  return { metric, value: round(value, 3), unit, database, baseline: baseline ?? null, ratio, ...extra };
}

/** The value of `--name value` or `--name=value` among a benchmark's arguments. */
export function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes('=') ? args[i]!.slice(name.length + 1) : args[i + 1];
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function machine() {
  return {
    cpus: os.cpus().length,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function treeRss(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (m) total += Number(m[1]) * 1024;
      const children = fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      if (children) stack.push(...children.split(/\s+/).map(Number));
    } catch {
      /* process gone */
    }
  }
  return total;
}

/** Samples the peak RSS of a process tree until stopped. */
export function sampleTreeRss(pid: number, everyMs = 50) {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), everyMs);
  return {
    stop(): number {
      clearInterval(timer);
      peak = Math.max(peak, treeRss(pid));
      return peak;
    },
  };
}
