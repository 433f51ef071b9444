/**
 * What the workspace-scoped commands share: a Siyu opened for one command and closed after it,
 * the workspace named by --workspace (or the only one), and the CLI system actor's context.
 */
import { Option } from 'commander';
import { invalid, notFound } from '../../platform/errors.ts';
import { systemContext, type WorkspaceContext } from '../../platform/http/context.ts';
import { configOrExit, openSiyu } from '../runtime.ts';

export type CliSiyu = Awaited<ReturnType<typeof openSiyu>>;

/** Opens Siyu (applying pending migrations), runs `fn`, and closes the database. */
export async function withSiyu<T>(fn: (siyu: CliSiyu) => Promise<T>): Promise<T> {
  const siyu = await openSiyu(configOrExit({ logLevel: 'warn' }), { migrate: true, role: 'cli' });
  try {
    return await fn(siyu);
  } finally {
    await siyu.database.close();
  }
}

/** The workspace named by --workspace, or the only one there is. */
export async function workspaceOf(siyu: CliSiyu, id: string | undefined): Promise<string> {
  const rows = await siyu.db.selectFrom('workspaces').select('id').$if(!!id, (q) => q.where('id', '=', id!)).limit(2).execute();
  if (id && !rows.length) throw notFound('workspace.not_found', `No workspace ${id}`);
  if (!id && rows.length !== 1) throw invalid('workspace.required', 'Name the workspace with --workspace <id> (see `siyu workspace list`)');
  return rows[0]!.id;
}

/** The CLI system actor in a workspace. */
export const ctxFor = (workspaceId: string): WorkspaceContext => systemContext(workspaceId, 'cli');

export const wsOption = () => new Option('--workspace <id>', 'workspace id (default: the only workspace)');
