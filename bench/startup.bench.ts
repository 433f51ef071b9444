/**
 * startup: time from `siyu start` to ready (/readyz answers 200) and the peak memory of the
 * whole process tree, on a new and on an existing embedded data directory. Baseline, in the
 * same run: the bare engine — a process that only opens PGlite on a new / existing data
 * directory — so the ratio is what Siyu adds on top of the database it embeds.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/platform/config.ts';
import { median, result, round, sampleTreeRss, type BenchResult, type Benchmark } from './support/harness.ts';

const CLI = path.join(projectRoot, 'src', 'entrypoints', 'cli.ts');
const ENGINE_ONLY = `
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(process.argv[1]);
  await db.query('select 1');
  process.stdout.write('ready\\n');
  await db.close();
`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function timeSiyuStart(dataDir: string): Promise<{ seconds: number; peakBytes: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'start'], {
    cwd: projectRoot,
    env: { ...process.env, SIYU_DATA_DIR: dataDir, SIYU_PORT: String(port), SIYU_LOG_LEVEL: 'warn', SIYU_DEMO_PASSWORD: 'bench-password-1' },
    stdio: 'ignore',
  });
  const rss = sampleTreeRss(child.pid!);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`siyu start exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const seconds = (performance.now() - started) / 1000;
  const peakBytes = rss.stop();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { seconds, peakBytes };
}

async function timeEngineOnly(dataDir: string): Promise<{ seconds: number; peakBytes: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', ENGINE_ONLY, dataDir], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const rss = sampleTreeRss(child.pid!);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`engine exited ${code}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  const peakBytes = rss.stop();
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  return { seconds, peakBytes };
}

const bench: Benchmark = {
  name: 'startup',
  description: 'siyu start to ready, and peak memory, on a new and an existing embedded data directory (baseline: bare PGlite open)',
  async run(ctx) {
    const runs = Number(ctx.args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-bench-startup-'));
    const results: BenchResult[] = [];
    try {
      const samples = { siyuNew: [] as number[], siyuOld: [] as number[], engNew: [] as number[], engOld: [] as number[] };
      const peaks = { siyuNew: [] as number[], siyuOld: [] as number[], engNew: [] as number[], engOld: [] as number[] };
      for (let i = 0; i < runs; i++) {
        const siyuDir = path.join(root, `siyu-${i}`);
        const engDir = path.join(root, `engine-${i}`);
        for (const [key, fn] of [
          ['siyuNew', () => timeSiyuStart(siyuDir)],
          ['engNew', () => timeEngineOnly(engDir)],
          ['siyuOld', () => timeSiyuStart(siyuDir)],
          ['engOld', () => timeEngineOnly(engDir)],
        ] as const) {
          const r = await fn();
          samples[key].push(r.seconds);
          peaks[key].push(r.peakBytes);
          ctx.log(`run ${i + 1}/${runs} ${key}: ${r.seconds.toFixed(2)} s, peak ${(r.peakBytes / 2 ** 20).toFixed(0)} MiB`);
        }
      }
      const mib = (b: number) => round(b / 2 ** 20, 1);
      for (const [scenario, siyuKey, engKey] of [
        ['new_data_dir', 'siyuNew', 'engNew'],
        ['existing_data_dir', 'siyuOld', 'engOld'],
      ] as const) {
        results.push(
          result('ready_s', median(samples[siyuKey]), 's', 'embedded', { name: 'pglite_open_s', value: round(median(samples[engKey])) }, { scenario }),
          result('peak_rss_mib', mib(median(peaks[siyuKey])), 'MiB', 'embedded', { name: 'pglite_open_peak_rss_mib', value: mib(median(peaks[engKey])) }, { scenario }),
        );
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    return results;
  },
};

export default bench;
