import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'node:test';
import { createTestDatabase, postgresSkipReason } from './testing.ts';
import { readManifest, restoreBackup, writeBackup } from './backup.ts';
import type { Database } from './database.ts';
import { buildTestSiyu, seedWorkspace } from '../../../test/support/app.ts';

const TABLES = ['workspaces', 'users', 'memberships', 'api_keys', 'audit_log', 'sessions'] as const;

async function snapshot(database: Database): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    out[t] = (await database.pool.query(`select * from ${t} order by 1, 2`)).rows;
  }
  return out;
}

async function seed(database: Database): Promise<void> {
  const siyu = buildTestSiyu(database);
  for (let i = 0; i < 3; i++) await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
  await database.pool.query(`update workspaces set settings = '{"note": "中文 \\t tab and \\\\ backslash"}'::jsonb`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-backup-'));

describe('backup and restore', { skip: postgresSkipReason() }, () => {
  let embedded: Database;
  let postgres: Database;
  before(async () => {
    [embedded, postgres] = await Promise.all([createTestDatabase('embedded'), createTestDatabase('postgres')]);
  });
  after(async () => {
    await Promise.all([embedded?.close(), postgres?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('[embedded] -> [postgres]: restores every row of an embedded backup into PostgreSQL', async () => {
    await seed(embedded);
    const file = path.join(dir, 'from-embedded.siyu.gz');
    const summary = await writeBackup(embedded, file);
    assert.equal(summary.tables.workspaces, 3);
    const manifest = await readManifest(file);
    assert.equal(manifest.source, 'embedded');
    assert.ok(manifest.migrations.length >= 1);

    await restoreBackup(postgres, file);
    assert.deepEqual(await snapshot(postgres), await snapshot(embedded));
  });

  it('[postgres] -> [embedded]: restores a PostgreSQL backup into the embedded engine, refusing to overwrite without force', async () => {
    await seed(postgres); // adds three more workspaces to the restored data
    const file = path.join(dir, 'from-postgres.siyu.gz');
    await writeBackup(postgres, file);
    await assert.rejects(restoreBackup(embedded, file), /pass --force/);
    await restoreBackup(embedded, file, { force: true });
    const restored = await snapshot(embedded);
    assert.equal(restored.workspaces!.length, 6);
    assert.deepEqual(restored, await snapshot(postgres));
  });

  it('rejects a file that is not a backup', async () => {
    const file = path.join(dir, 'junk.gz');
    fs.writeFileSync(file, 'not gzip');
    await assert.rejects(readManifest(file));
  });
});
