/**
 * Regenerates src/platform/db/database.types.ts from the migrated schema (embedded engine).
 *   node scripts/db-types.ts            write the file
 *   node scripts/db-types.ts --verify   fail if the committed file is out of date
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const verify = process.argv.includes('--verify');
const database = await openDatabase({ dataDir: 'memory://', poolMax: 2 });
try {
  await migrate(database.pool);
  const args = [
    path.join(projectRoot, 'node_modules', 'kysely-codegen', 'dist', 'cli', 'bin.js'),
    '--dialect', 'postgres',
    '--url', database.url,
    '--default-schema', 'public',
    '--exclude-pattern', 'schema_migrations',
    '--type-mapping', JSON.stringify({ int8: 'number', numeric: 'string' }),
    '--out-file', path.join(projectRoot, 'src', 'platform', 'db', 'database.types.ts'),
    ...(verify ? ['--verify'] : []),
  ];
  execFileSync(process.execPath, args, { stdio: 'inherit' });
} finally {
  await database.close();
}
