/**
 * LISTEN on a dedicated PostgreSQL connection for the job system's wake-ups. The connection
 * reconnects with capped backoff after an error or a drop and calls `onReconnect` after every
 * (re)subscription, so the job system fetches once for anything it missed meanwhile.
 */
import pg from 'pg';

export interface ListenHandle {
  close(): Promise<void>;
}

/** The connection settings of a pool, for one more connection outside it. */
function connectionOf(options: pg.PoolConfig): pg.ClientConfig {
  const { connectionString, host, port, user, password, database, ssl, application_name: applicationName } = options;
  return { connectionString, host, port, user, password, database, ssl, application_name: applicationName ? `${applicationName}-listen` : 'siyu-listen', keepAlive: true };
}

export async function listenFor(
  options: pg.PoolConfig,
  channel: string,
  onNotification: (payload: string) => void,
  onReconnect: () => void,
): Promise<ListenHandle> {
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;

  const scheduleReconnect = () => {
    if (closed || timer) return;
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt++, 5));
    timer = setTimeout(() => {
      timer = null;
      connect().catch(scheduleReconnect);
    }, delay);
  };

  const drop = (target: pg.Client) => {
    if (client !== target) return;
    client = null;
    target.removeAllListeners();
    target.on('error', () => {});
    target.end().catch(() => {});
    scheduleReconnect();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client(connectionOf(options));
    next.on('notification', (msg) => {
      if (msg.payload !== undefined) onNotification(msg.payload);
    });
    next.on('error', () => drop(next));
    next.on('end', () => drop(next));
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (err) {
      if (client === next) client = null;
      next.removeAllListeners();
      next.on('error', () => {});
      await next.end().catch(() => {});
      throw err;
    }
    attempt = 0;
    onReconnect();
  }

  // A first failure goes to the caller, which then relies on polling alone.
  await connect();
  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => {});
        await c.end().catch(() => {});
      }
    },
  };
}
