/**
 * Child-process entry that owns the embedded PGlite database and serves it over the
 * PostgreSQL wire protocol (pglite-socket) on 127.0.0.1. Running PGlite here instead of
 * in the API process keeps its synchronous WASM work off the API's event loop.
 *
 * Protocol with the parent (IPC messages):
 *   parent -> child: { type: 'dump', path } | { type: 'copy_from', id, sql, path } | { type: 'shutdown' }
 *   child -> parent: { type: 'ready', port } | { type: 'dumped', path, bytes } | { type: 'copied', id, rows }
 *                    | { type: 'error', id?, message }
 * copy_from exists because COPY ... FROM STDIN does not pass through the socket server;
 * PGlite reads the rows from a file handed over as '/dev/blob' instead.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import net from 'node:net';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { intarray } from '@electric-sql/pglite/contrib/intarray';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { SessionQueue } from './session-queue.ts';
import { DEFAULT_CHECKPOINT_POLICY, startCheckpointer, type CheckpointPolicy } from './checkpointer.ts';

export interface EmbeddedServerArgs {
  dataDir: string; // a directory, or "memory://"
  loadFrom?: string; // a gzip tarball made by dumpDataDir, to start from
  port: number;
  maxConnections: number;
  /** When to checkpoint (see checkpointer.ts); PostgreSQL-like defaults. */
  checkpoint?: Partial<CheckpointPolicy>;
}

type ParentMessage =
  | { type: 'dump'; path: string }
  | { type: 'copy_from'; id: number; sql: string; path: string }
  | { type: 'shutdown' };

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as EmbeddedServerArgs;
  const send = (msg: unknown) => process.send?.(msg);

  const loadDataDir = args.loadFrom ? new Blob([fs.readFileSync(args.loadFrom)]) : undefined;
  // The extensions migrations may create; PostgreSQL servers ship them in contrib.
  const extensions = { pg_trgm, btree_gin, intarray };
  const db = await PGlite.create(args.dataDir, { extensions, ...(loadDataDir ? { loadDataDir } : {}) });
  const { server, handlers, queue } = await serve(db, args.port, args.maxConnections);
  const port = (server.address() as net.AddressInfo).port;
  const stopCheckpoints = startCheckpointer(db, (task) => queue.whenIdle(task), { ...DEFAULT_CHECKPOINT_POLICY, ...args.checkpoint }, (err) =>
    console.error(`embedded database: checkpoint failed: ${err instanceof Error ? err.message : String(err)}`),
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    stopCheckpoints();
    try {
      const closed = new Promise((r) => server.close(r));
      await Promise.all([...handlers].map((h) => h.detach(true)));
      await closed;
      await db.close();
    } finally {
      process.exit(code);
    }
  };

  process.on('message', (raw: ParentMessage) => {
    if (raw.type === 'shutdown') void stop(0);
    if (raw.type === 'dump') {
      // dumpDataDir takes PGlite's query lock: the copy is made between statements.
      db.dumpDataDir('gzip')
        .then(async (blob) => {
          const bytes = Buffer.from(await blob.arrayBuffer());
          fs.writeFileSync(raw.path, bytes);
          send({ type: 'dumped', path: raw.path, bytes: bytes.length });
        })
        .catch((err: unknown) => send({ type: 'error', message: String(err) }));
    }
  });
  process.on('message', (raw: ParentMessage) => {
    if (raw.type !== 'copy_from') return;
    const blob = new Blob([fs.readFileSync(raw.path)]);
    db.query(raw.sql, [], { blob })
      .then((r) => send({ type: 'copied', id: raw.id, rows: r.affectedRows ?? 0 }))
      .catch((err: unknown) => send({ type: 'error', id: raw.id, message: String(err) }));
  });
  // The parent went away without asking us to stop: close the data files cleanly.
  process.on('disconnect', () => void stop(0));
  // Ctrl-C in a terminal (and a service manager stopping the unit) signals the whole process
  // group. The parent stops this server itself once its own connections are closed (the
  // shutdown message, or the disconnect above if it dies); stopping on the signal too would
  // cut the parent's connections while it is still finishing its work.
  const stopUnlessParented = () => {
    if (!process.connected) void stop(0);
  };
  process.on('SIGTERM', stopUnlessParented);
  process.on('SIGINT', stopUnlessParented);

  send({ type: 'ready', port });
}

/**
 * The wire-protocol server: pglite-socket's per-connection protocol handler, with Siyu's
 * SessionQueue deciding whose messages run on PGlite's single session (see session-queue.ts).
 */
async function serve(db: PGlite, port: number, maxConnections: number) {
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    if (handlers.size >= maxConnections) {
      socket.end();
      return;
    }
    const handler = new PGLiteSocketHandler({
      // The handler only calls enqueue / clearQueueForHandler / clearTransactionIfNeeded.
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, handlers, queue };
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  process.exit(1);
});
