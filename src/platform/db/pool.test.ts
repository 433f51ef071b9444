import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from './database.ts';
import { loadHarnessEnv } from '../config.ts';

const { testDatabaseUrl } = loadHarnessEnv();

describe('PostgreSQL sessions', () => {
  it('start every pooled connection without JIT compilation, before its first query', { skip: testDatabaseUrl ? false : 'TEST_DATABASE_URL is not set' }, async () => {
    const database = await openDatabase({ databaseUrl: testDatabaseUrl!, poolMax: 4 });
    try {
      // Four connections at once: each is new, and each must already have the setting.
      const clients = await Promise.all([1, 2, 3, 4].map(() => database.pool.connect()));
      try {
        const settings = await Promise.all(clients.map(async (c) => (await c.query<{ jit: string }>('show jit')).rows[0]!.jit));
        assert.deepEqual(settings, ['off', 'off', 'off', 'off']);
      } finally {
        for (const c of clients) c.release();
      }
      // Through the query builder as well (a transaction takes a pooled connection).
      const inTransaction = await database.db.transaction().execute(async (trx) => (await trx.selectNoFrom((eb) => eb.fn<string>('current_setting', [eb.val('jit')]).as('jit')).executeTakeFirstOrThrow()).jit);
      assert.equal(inTransaction, 'off');
    } finally {
      await database.close();
    }
  });
});
