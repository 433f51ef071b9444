/**
 * Builds the console (web/) into web/dist with Vite's JS API.
 *
 *   node scripts/build-web.ts             build now
 *   node scripts/build-web.ts --if-stale  build only when the sources changed since the last build
 *
 * Staleness is a hash of every file under web/ (except dist), which includes vite.config.ts
 * and tsconfig.json, plus package-lock.json; the last built hash is kept in
 * web/dist/.build-stamp. `npm install` runs this with --if-stale, so `npm start` always
 * finds a console to serve. Prints one line either way.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type * as Vite from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const webDir = path.join(root, 'web');
const distDir = path.join(webDir, 'dist');
const stampFile = path.join(distDir, '.build-stamp');
const SKIP_DIRS = new Set(['dist', 'node_modules']);

function listFiles(dir: string, acc: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(dir === webDir && SKIP_DIRS.has(entry.name)) && entry.name !== 'node_modules') listFiles(full, acc);
    } else if (entry.isFile()) {
      acc.push(full);
    }
  }
  return acc;
}

/** The hash of everything the build output depends on. */
function sourceHash(): string {
  const hash = crypto.createHash('sha256');
  const files = [...listFiles(webDir), path.join(root, 'package-lock.json')]
    .filter((f) => fs.existsSync(f))
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .sort();
  for (const rel of files) {
    hash.update(rel);
    hash.update('\0');
    hash.update(fs.readFileSync(path.join(root, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function readStamp(): string | null {
  try {
    return fs.readFileSync(stampFile, 'utf8').trim();
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const ifStale = process.argv.includes('--if-stale');
  const hash = sourceHash();
  const short = hash.slice(0, 12);
  if (ifStale && readStamp() === hash && fs.existsSync(path.join(distDir, 'index.html'))) {
    process.stdout.write(`console build: web/dist is up to date (${short})\n`);
    return;
  }

  let vite: typeof Vite;
  try {
    vite = await import('vite');
  } catch {
    // A production install without dev dependencies: keep whatever console was shipped.
    const message = 'console build: skipped, Vite is not installed (install the dev dependencies to build the console)\n';
    if (ifStale) {
      process.stdout.write(message);
      return;
    }
    process.stderr.write(message);
    process.exit(1);
  }

  const started = performance.now();
  const { default: config } = await import('../web/vite.config.ts');
  await vite.build({ ...config, configFile: false, logLevel: 'warn' });
  fs.writeFileSync(stampFile, `${hash}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`console build: built web/dist in ${seconds}s (${short})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`console build failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
