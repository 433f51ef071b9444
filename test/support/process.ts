import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/platform/config.ts';

const CLI = path.join(projectRoot, 'src', 'entrypoints', 'cli.ts');

export interface RunningSiyu {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Signals the whole process group, as Ctrl-C in a terminal does (needs `ownGroup`). */
  stopGroup(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `siyu <args>` as a real process with the project's Node. */
export function spawnSiyu(args: string[], env: Record<string, string>, options: { ownGroup?: boolean } = {}): RunningSiyu {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: projectRoot,
    env: { ...process.env, SIYU_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can signal it and its children the way a terminal does.
    detached: !!options.ownGroup,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          const m = out.match(pattern);
          if (m) return resolve(m);
          if (child.exitCode !== null) return reject(new Error(`siyu exited (${child.exitCode}) before ${pattern}:\n${out}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}:\n${out}`));
          setTimeout(tick, 50);
        };
        tick();
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    stopGroup: async (signal = 'SIGINT') => {
      if (child.exitCode === null) process.kill(-child.pid!, signal);
      return exited;
    },
  };
}

/** Runs a short `siyu` command to completion. */
export function runSiyu(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: projectRoot,
    env: { ...process.env, SIYU_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
