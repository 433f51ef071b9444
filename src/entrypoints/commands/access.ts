import { Option, type Command } from 'commander';
import { notFound } from '../../platform/errors.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ROLES, type Role } from '../../modules/access/index.ts';
import { configOrExit, openSiyu } from '../runtime.ts';
import { print, run } from './output.ts';

async function withSiyu<T>(fn: (siyu: Awaited<ReturnType<typeof openSiyu>>) => Promise<T>): Promise<T> {
  const config = configOrExit({ logLevel: 'warn' });
  const siyu = await openSiyu(config, { migrate: true, role: 'cli' });
  try {
    return await fn(siyu);
  } finally {
    await siyu.database.close();
  }
}

export function registerAccessCommands(program: Command): void {
  const user = program.command('user').description('Manage console users');

  user
    .command('create')
    .description('Create a user; with --workspace also add them to it with --role')
    .requiredOption('--email <email>', 'sign-in email')
    .option('--name <name>', 'display name')
    .option('--password <password>', 'initial password (at least 10 characters); generated and printed if omitted')
    .option('--workspace <id>', 'workspace to add the user to')
    .addOption(new Option('--role <role>', 'role in that workspace').choices(ROLES as string[]).default('operator'))
    .option('--instance-admin', 'may create workspaces')
    .option('--json', 'print JSON')
    .action((opts: { email: string; name?: string; password?: string; workspace?: string; role: Role; instanceAdmin?: boolean; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const created = await siyu.access.users.createUser({
            email: opts.email,
            ...(opts.name ? { name: opts.name } : {}),
            ...(opts.password ? { password: opts.password } : {}),
            ...(opts.instanceAdmin ? { isInstanceAdmin: true } : {}),
          });
          if (opts.workspace) {
            const ws = await siyu.db.selectFrom('workspaces').select('id').where('id', '=', opts.workspace).executeTakeFirst();
            if (!ws) throw notFound('workspace.not_found', `No workspace ${opts.workspace}`);
            const ctx = systemContext(opts.workspace, 'cli');
            // The user exists now; adding the membership is audited as a CLI action.
            await siyu.access.members.add({ ...ctx, role: 'owner' }, { email: created.email, role: opts.role });
          }
          print(!!opts.json, { ...created, workspace: opts.workspace ?? null, role: opts.workspace ? opts.role : null }, () =>
            [
              `created user ${created.email} (${created.id})`,
              opts.workspace ? `added to workspace ${opts.workspace} as ${opts.role}` : '',
              created.generatedPassword ? `password: ${created.generatedPassword}   (shown once)` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          );
        }),
      ),
    );

  user
    .command('reset-password')
    .description("Set a user's password (generated if omitted), unlock the account and end their sessions")
    .requiredOption('--email <email>', 'sign-in email')
    .option('--password <password>', 'new password (at least 10 characters)')
    .option('--json', 'print JSON')
    .action((opts: { email: string; password?: string; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const r = await siyu.access.users.resetPassword(opts.email, opts.password);
          print(!!opts.json, r, () => (r.generatedPassword ? `password: ${r.generatedPassword}   (shown once)` : 'password changed'));
        }),
      ),
    );

  const workspace = program.command('workspace').description('Manage workspaces (one per brand)');

  workspace
    .command('create')
    .description('Create a workspace owned by an existing user')
    .requiredOption('--name <name>', 'workspace (brand) name')
    .requiredOption('--owner <email>', 'email of the owner (create them with `siyu user create` first)')
    .option('--time-zone <tz>', 'IANA time zone', 'Asia/Shanghai')
    .addOption(new Option('--locale <locale>', 'default language').choices(['zh-CN', 'en']).default('zh-CN'))
    .option('--json', 'print JSON')
    .action((opts: { name: string; owner: string; timeZone: string; locale: 'zh-CN' | 'en'; json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const owner = await siyu.db.selectFrom('users').select(['id', 'email']).where('email', '=', opts.owner.toLowerCase()).executeTakeFirst();
          if (!owner) throw notFound('user.not_found', `No user ${opts.owner}; create them with \`siyu user create\``);
          const ws = await siyu.access.workspaces.createWorkspace(
            { name: opts.name, timeZone: opts.timeZone, locale: opts.locale },
            { userId: owner.id, label: owner.email },
          );
          print(!!opts.json, ws, () => `created workspace "${ws.name}" (${ws.id}), owner ${owner.email}`);
        }),
      ),
    );

  workspace
    .command('list')
    .description('List all workspaces')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      run(() =>
        withSiyu(async (siyu) => {
          const rows = await siyu.db.selectFrom('workspaces').select(['id', 'name', 'time_zone', 'created_at']).orderBy('created_at').execute();
          print(!!opts.json, rows, () => rows.map((r) => `${r.id}  ${r.name}  ${r.time_zone}`).join('\n') || 'no workspaces');
        }),
      ),
    );
}
