import path from 'node:path';
import type { Command } from 'commander';
import { writeBackup, restoreBackup, readManifest } from '../../platform/db/backup.ts';
import { embeddedDataDir, openDatabase } from '../../platform/db/database.ts';
import { configOrExit } from '../runtime.ts';
import { print, run } from './output.ts';

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Write a consistent logical backup (one snapshot) of the database to a file. Works while Siyu runs; ' +
        'restores into the embedded engine or PostgreSQL alike.',
    )
    .option('-o, --out <file>', 'backup file', `siyu-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.siyu.gz`)
    .option('--json', 'print JSON')
    .action((opts: { out: string; json?: boolean }) =>
      run(async () => {
        const config = configOrExit({ logLevel: 'warn' });
        const database = await openDatabase({
          databaseUrl: config.databaseUrl,
          dataDir: embeddedDataDir(config.dataDir),
          poolMax: 2,
          attachIfRunning: true,
        });
        try {
          const out = path.resolve(opts.out);
          const summary = await writeBackup(database, out);
          const rows = Object.values(summary.tables).reduce((a, b) => a + b, 0);
          print(!!opts.json, { file: out, ...summary }, () => `backup written to ${out}: ${Object.keys(summary.tables).length} tables, ${rows} rows`);
        } finally {
          await database.close();
        }
      }),
    );

  program
    .command('restore')
    .description('Restore a backup into the configured database (embedded, or DATABASE_URL). Stop Siyu first.')
    .requiredOption('-f, --from <file>', 'backup file made by `siyu backup`')
    .option('--force', 'replace a database that already holds data')
    .option('--json', 'print JSON')
    .action((opts: { from: string; force?: boolean; json?: boolean }) =>
      run(async () => {
        const config = configOrExit({ logLevel: 'warn' });
        const manifest = await readManifest(path.resolve(opts.from));
        const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: embeddedDataDir(config.dataDir), poolMax: 2 });
        try {
          const summary = await restoreBackup(database, path.resolve(opts.from), { force: !!opts.force });
          const rows = Object.values(summary.tables).reduce((a, b) => a + b, 0);
          print(!!opts.json, { from: manifest, ...summary }, () =>
            `restored ${Object.keys(summary.tables).length} tables, ${rows} rows (backup of ${manifest.source} from ${manifest.createdAt}) into the ${database.kind} database`,
          );
        } finally {
          await database.close();
        }
      }),
    );
}
