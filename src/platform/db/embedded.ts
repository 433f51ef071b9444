import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { EmbeddedServerArgs } from './embedded-server.ts';
import type { CheckpointPolicy } from './checkpointer.ts';

/** Connections the socket server multiplexes; every pool against it must stay below this. */
export const EMBEDDED_MAX_CONNECTIONS = 40;

export interface EmbeddedDatabase {
  url: string;
  port: number;
  pid: number;
  /** Writes a consistent gzip tarball of the data directory. */
  dump(toFile: string): Promise<number>;
  /** Runs `COPY <table> FROM '/dev/blob' ...` with the file's bytes as the blob. */
  copyFromFile(sql: string, file: string): Promise<number>;
  stop(): Promise<void>;
  /** Resolves when the child exits for any reason, with its exit code. */
  exited: Promise<number | null>;
}

export interface StartEmbeddedOptions {
  dataDir: string; // directory or 'memory://'
  loadFrom?: string;
  port?: number;
  startTimeoutMs?: number;
  /** When the server checkpoints (defaults in checkpointer.ts). */
  checkpoint?: Partial<CheckpointPolicy>;
}

/**
 * Starts PGlite in a child process and resolves once it accepts connections.
 * A file data directory is guarded by a pid lock: two processes writing one PGlite
 * directory would corrupt it.
 */
export async function startEmbeddedDatabase(options: StartEmbeddedOptions): Promise<EmbeddedDatabase> {
  const isMemory = options.dataDir.startsWith('memory://');
  const lockFile = isMemory ? undefined : await acquireDataDirLock(options.dataDir);
  const args: EmbeddedServerArgs = {
    dataDir: options.dataDir,
    ...(options.loadFrom ? { loadFrom: options.loadFrom } : {}),
    port: options.port ?? 0,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  };
  const child = fork(path.join(import.meta.dirname, 'embedded-server.ts'), [JSON.stringify(args)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--max-old-space-size=8192'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      if (lockFile) releaseLock(lockFile);
      resolve(code);
    });
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded database did not start within ${options.startTimeoutMs ?? 120_000} ms`));
    }, options.startTimeoutMs ?? 120_000);
    child.on('message', function onMessage(msg: { type: string; port?: number; message?: string }) {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(msg.port!);
      } else if (msg.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`embedded database failed to start: ${msg.message}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`embedded database exited during start-up (code ${code})`));
    });
  });

  if (lockFile) recordLockPort(lockFile, port, child.pid!);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid: child.pid!,
    exited,
    dump: (toFile) => requestDump(child, toFile),
    copyFromFile: (sql, file) => requestCopy(child, sql, file),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'shutdown' });
      const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

function requestDump(child: ChildProcess, toFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type: string; path?: string; bytes?: number; message?: string }) => {
      if (msg.type === 'dumped' && msg.path === toFile) {
        child.off('message', onMessage);
        resolve(msg.bytes ?? 0);
      } else if (msg.type === 'error') {
        child.off('message', onMessage);
        reject(new Error(msg.message));
      }
    };
    child.on('message', onMessage);
    child.send({ type: 'dump', path: toFile });
  });
}

let copyIds = 0;
function requestCopy(child: ChildProcess, sql: string, file: string): Promise<number> {
  const id = ++copyIds;
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type: string; id?: number; rows?: number; message?: string }) => {
      if (msg.id !== id) return;
      child.off('message', onMessage);
      if (msg.type === 'copied') resolve(msg.rows ?? 0);
      else reject(new Error(msg.message));
    };
    child.on('message', onMessage);
    child.send({ type: 'copy_from', id, sql, path: file });
  });
}

export interface DataDirLock {
  pid: number;
  port: number | null;
  /**
   * The database process. When the Siyu process is killed, this one outlives it while it
   * closes the data files; the directory is not free until both are gone.
   */
  serverPid?: number | null;
}

const lockPath = (dataDir: string) => path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.lock`);

/** The live process serving this data directory, if any (its port once it is ready). */
export function readDataDirLock(dataDir: string): DataDirLock | null {
  try {
    const lock = JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as DataDirLock;
    return (lock.pid && isAlive(lock.pid)) || (lock.serverPid && isAlive(lock.serverPid)) ? lock : null;
  } catch {
    return null;
  }
}

async function acquireDataDirLock(dataDir: string): Promise<string> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = lockPath(dataDir);
  let holder = readDataDirLock(dataDir);
  // A Siyu process that was killed leaves its database process closing the files: wait for it.
  for (const deadline = Date.now() + 60_000; holder && !isAlive(holder.pid) && Date.now() < deadline; holder = readDataDirLock(dataDir)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (holder && holder.pid !== process.pid) {
    throw new Error(
      `the embedded database at ${dataDir} is in use by process ${isAlive(holder.pid) ? holder.pid : holder.serverPid}; stop it first (two writers would corrupt it)`,
    );
  }
  fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, port: null } satisfies DataDirLock));
  return lockFile;
}

function recordLockPort(lockFile: string, port: number, serverPid: number): void {
  fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, port, serverPid } satisfies DataDirLock));
}

function releaseLock(lockFile: string): void {
  try {
    const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as DataDirLock;
    if (lock.pid === process.pid) fs.unlinkSync(lockFile);
  } catch {
    /* already gone */
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
