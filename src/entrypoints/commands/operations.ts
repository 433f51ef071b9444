import type { Command } from 'commander';
import { embeddedDataDir, openDatabase } from '../../platform/db/database.ts';
import { migrate, migrationStatus } from '../../platform/db/migrate.ts';
import { configOrExit } from '../runtime.ts';
import { print, run } from './output.ts';

export function registerOperationCommands(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (or show them with --status)')
    .option('--status', 'list applied and pending migrations without changing anything')
    .option('--json', 'print JSON')
    .action((opts: { status?: boolean; json?: boolean }) =>
      run(async () => {
        const config = configOrExit();
        const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: embeddedDataDir(config.dataDir), poolMax: 2 });
        try {
          if (opts.status) {
            const status = await migrationStatus(database.pool);
            print(!!opts.json, { applied: status.applied, pending: status.pending.map((p) => p.name) }, () =>
              [
                ...status.applied.map((a) => `applied  ${a.name}  ${a.appliedAt.toISOString()}`),
                ...status.pending.map((p) => `pending  ${p.name}`),
              ].join('\n') || 'no migrations',
            );
          } else {
            const { applied } = await migrate(database.pool);
            print(!!opts.json, { applied }, () => (applied.length ? applied.map((a) => `applied ${a}`).join('\n') : 'up to date'));
          }
        } finally {
          await database.close();
        }
      }),
    );
}
