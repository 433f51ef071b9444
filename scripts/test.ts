/**
 * `npm test`: type-check, lint, build the console if stale, then every test file with
 * node:test (unit, database, HTTP, CLI, browser). Prints how many PostgreSQL and browser
 * tests ran; with SIYU_REQUIRE_ALL_TARGETS=1 (set by .ci/run) it fails if either is zero.
 *
 *   npm test                      everything
 *   npm test -- --no-checks       skip type-check and lint
 *   npm test -- src/modules/access   only test files under these paths
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHarnessEnv, projectRoot } from '../src/platform/config.ts';

const args = process.argv.slice(2);
const noChecks = args.includes('--no-checks');
const filters = args.filter((a) => !a.startsWith('--'));
const out = path.join(projectRoot, '.test-output');
fs.mkdirSync(out, { recursive: true });

function step(name: string, cmd: string, cmdArgs: string[]): void {
  process.stdout.write(`\n▶ ${name}\n`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: projectRoot });
  if (r.status !== 0) {
    process.stdout.write(`\n✖ ${name} failed\n`);
    process.exit(r.status ?? 1);
  }
}

const bin = (name: string) => path.join(projectRoot, 'node_modules', '.bin', name);

if (!noChecks) {
  step('type-check', bin('tsc'), ['-p', 'tsconfig.json']);
  step('type-check console', bin('tsc'), ['-p', 'web/tsconfig.json']);
  step('lint', bin('eslint'), ['.']);
  step('module boundaries', bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs']);
  step('database types up to date', process.execPath, ['scripts/db-types.ts', '--verify']);
}
step('console build', process.execPath, ['scripts/build-web.ts', '--if-stale']);

function findTests(dir: string, acc: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') findTests(p, acc);
    else if (entry.name.endsWith('.test.ts')) acc.push(path.relative(projectRoot, p));
  }
  return acc;
}
const files = [...findTests(path.join(projectRoot, 'src')), ...findTests(path.join(projectRoot, 'test'))]
  .filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(x.replace(/^\.\//, ''))))
  .sort();

// One report per run: several runs may share the checkout.
const junit = path.join(out, `junit-${process.pid}.xml`);
process.stdout.write(`\n▶ tests (${files.length} files)\n`);
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-global-setup=test/global-setup.ts',
    `--test-concurrency=${Math.max(2, os.availableParallelism())}`,
    '--test-timeout=300000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=junit',
    `--test-reporter-destination=${junit}`,
    ...files,
  ],
  { stdio: 'inherit', cwd: projectRoot },
);

// What ran where: read the JUnit report for the database and browser suites.
const xml = fs.existsSync(junit) ? fs.readFileSync(junit, 'utf8') : '';
const count = (prefix: string) => {
  let ran = 0;
  let skipped = 0;
  const re = /<testcase\b[^>]*\bclassname="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    if (!m[1]!.includes(prefix)) continue;
    if ((m[3] ?? '').includes('<skipped')) skipped++;
    else ran++;
  }
  return { ran, skipped };
};
const pgRun = count('[postgres]');
const embRun = count('[embedded]');
const browserRun = count('[browser]');
process.stdout.write(
  `\nDatabase tests: embedded ${embRun.ran} ran; PostgreSQL ${pgRun.ran} ran, ${pgRun.skipped} skipped. ` +
    `Browser tests: ${browserRun.ran} ran, ${browserRun.skipped} skipped.\n`,
);
fs.rmSync(junit, { force: true });
if (result.status !== 0) process.exit(result.status ?? 1);
if (loadHarnessEnv().requireAllTargets && filters.length === 0) {
  const missing = [pgRun.ran === 0 && 'PostgreSQL', browserRun.ran === 0 && 'browser', embRun.ran === 0 && 'embedded'].filter(Boolean);
  if (missing.length) {
    process.stdout.write(`✖ required test targets did not run: ${missing.join(', ')}\n`);
    process.exit(1);
  }
}
