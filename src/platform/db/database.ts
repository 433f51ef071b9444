import path from 'node:path';
import type pg from 'pg';
import { createKysely, createPool, waitForDatabase, type Db } from './pool.ts';
import { EMBEDDED_MAX_CONNECTIONS, readDataDirLock, startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';

export type DatabaseKind = 'embedded' | 'postgres';

/** One open database: the pool, the typed query builder, and how to close them. */
export interface Database {
  kind: DatabaseKind;
  url: string;
  pool: pg.Pool;
  db: Db;
  embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** For the embedded engine: a directory, or 'memory://'. */
  dataDir?: string;
  /** For the embedded engine: a data-directory tarball to start from. */
  loadFrom?: string;
  poolMax: number;
  applicationName?: string;
  /**
   * For CLI commands: when a running Siyu already serves the embedded data directory,
   * connect to it instead of failing on the lock.
   */
  attachIfRunning?: boolean;
  /** Called if the embedded database dies while Siyu runs. */
  onEmbeddedExit?: (code: number | null) => void;
}

export function embeddedDataDir(siyuDataDir: string): string {
  return path.join(siyuDataDir, 'pgdata');
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = createPool({ url: options.databaseUrl, max: options.poolMax, applicationName: options.applicationName, server: true });
    await waitForDatabase(pool);
    return {
      kind: 'postgres',
      url: options.databaseUrl,
      pool,
      db: createKysely(pool),
      embedded: undefined,
      close: async () => {
        await pool.end();
      },
    };
  }
  if (!options.dataDir) throw new Error('openDatabase needs a DATABASE_URL or an embedded data directory');
  const running = options.attachIfRunning ? readDataDirLock(options.dataDir) : null;
  if (running?.port) {
    const url = `postgres://postgres@127.0.0.1:${running.port}/postgres`;
    const pool = createPool({ url, max: Math.min(options.poolMax, 4), applicationName: options.applicationName });
    await waitForDatabase(pool);
    return { kind: 'embedded', url, pool, db: createKysely(pool), embedded: undefined, close: () => pool.end() };
  }
  const embedded = await startEmbeddedDatabase({
    dataDir: options.dataDir,
    ...(options.loadFrom ? { loadFrom: options.loadFrom } : {}),
  });
  let closing = false;
  void embedded.exited.then((code) => {
    if (!closing) options.onEmbeddedExit?.(code);
  });
  // The socket server multiplexes one PGlite session; keep our pool below its limit.
  const pool = createPool({
    url: embedded.url,
    max: Math.min(options.poolMax, EMBEDDED_MAX_CONNECTIONS - 5),
    applicationName: options.applicationName,
  });
  await waitForDatabase(pool);
  return {
    kind: 'embedded',
    url: embedded.url,
    pool,
    db: createKysely(pool),
    embedded,
    close: async () => {
      closing = true;
      await pool.end();
      await embedded.stop();
    },
  };
}
