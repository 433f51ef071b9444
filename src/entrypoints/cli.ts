import { Command, Option } from 'commander';
import { VERSION } from '../composition.ts';
import { registerOperationCommands } from './commands/operations.ts';
import { registerAccessCommands } from './commands/access.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerSeedCommands } from './commands/seed.ts';
import { registerCustomerCommands } from './commands/customers.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerMessagingCommands } from './commands/messaging.ts';
import { registerJourneyCommands } from './commands/journeys.ts';
import { registerScoringCommands } from './commands/scoring.ts';
import { configOrExit } from './runtime.ts';
import { runServer } from './server.ts';

const program = new Command();
program
  .name('siyu')
  .description('Siyu — private-domain operations for e-commerce brands.\nDatabase: embedded in SIYU_DATA_DIR (default ./.siyu), or DATABASE_URL.')
  .version(VERSION)
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: false });

program
  .command('start')
  .description('Run everything in one process tree: API, worker and console (embedded database unless DATABASE_URL)')
  .addOption(new Option('-p, --port <port>', 'port to listen on (SIYU_PORT)').argParser(Number))
  .action(async (opts: { port?: number }) => {
    await runServer(configOrExit(opts.port !== undefined ? { port: opts.port } : {}), 'start');
  });

program
  .command('api')
  .description('Run an API + console server only (scale out: many of these against one PostgreSQL)')
  .addOption(new Option('-p, --port <port>', 'port to listen on (SIYU_PORT)').argParser(Number))
  .option('--no-migrate', 'do not apply pending migrations at start')
  .action(async (opts: { port?: number; migrate: boolean }) => {
    await runServer(configOrExit(opts.port !== undefined ? { port: opts.port } : {}), 'api', { migrate: opts.migrate });
  });

program
  .command('worker')
  .description('Run background jobs and schedules only (scale out: many of these against one PostgreSQL)')
  .action(async () => {
    await runServer(configOrExit(), 'worker');
  });

registerOperationCommands(program);
registerAccessCommands(program);
registerBackupCommands(program);
registerSeedCommands(program);
registerCustomerCommands(program);
registerImportCommands(program);
registerMessagingCommands(program);
registerJourneyCommands(program);
registerScoringCommands(program);

await program.parseAsync(process.argv);
