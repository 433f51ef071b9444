import { useContext } from 'react';
import type { Me, MeWorkspace } from '../api/types.ts';
import { AuthContext, type AuthValue } from './AuthContext.tsx';

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth needs <AuthProvider>');
  return value;
}

export interface Session extends AuthValue {
  me: Me;
  /** The current workspace, or null when the user belongs to none. */
  workspace: MeWorkspace | null;
  /** The workspace time zone (the browser's when there is no workspace). */
  timeZone: string;
  can(permission: string): boolean;
}

/** The signed-in session; only for pages rendered behind <RequireAuth>. */
export function useSession(): Session {
  const auth = useAuth();
  if (auth.state.status !== 'signed-in') throw new Error('useSession needs a signed-in user');
  const me = auth.state.me;
  const workspace = me.workspaces.find((w) => w.id === me.currentWorkspaceId) ?? null;
  const permissions = new Set(me.permissions);
  return {
    ...auth,
    me,
    workspace,
    timeZone: workspace?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    can: (permission: string) => permissions.has(permission),
  };
}
