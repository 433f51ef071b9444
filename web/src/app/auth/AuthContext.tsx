import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setApiWorkspace, setSessionLostHandler } from '../api/client.ts';
import type { Me, MeWorkspace } from '../api/types.ts';
import { applyLocale, isLocale, storedLocale, type Locale } from '../../i18n/index.ts';

export type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'signed-in'; me: Me };

export interface AuthValue {
  state: AuthState;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
  switchWorkspace(workspaceId: string): Promise<MeWorkspace | null>;
  /** Switches the language here and, when signed in, in the user's profile. */
  setLocale(locale: Locale): Promise<void>;
}

export const AuthContext = createContext<AuthValue | null>(null);

function signedIn(me: Me): AuthState {
  setApiWorkspace(me.currentWorkspaceId);
  return { status: 'signed-in', me };
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  useEffect(() => {
    setSessionLostHandler((code) => {
      setApiWorkspace(null);
      setState({ status: 'anonymous', expired: code === 'auth.session_expired' });
    });
    const controller = new AbortController();
    api.get<Me>('/me', undefined, controller.signal).then(
      (me) => {
        // This browser's choice wins; a new browser follows the profile.
        if (!storedLocale() && isLocale(me.user.locale)) void applyLocale(me.user.locale);
        setState(signedIn(me));
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'anonymous', expired: err instanceof ApiError && err.code === 'auth.session_expired' });
      },
    );
    return () => {
      controller.abort();
      setSessionLostHandler(null);
    };
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    let me = await api.post<Me>('/auth/login', { email, password });
    const chosen = storedLocale();
    if (chosen && chosen !== me.user.locale) {
      // The language picked on the sign-in page becomes the profile's.
      me = await api.patch<Me>('/me', { locale: chosen }).catch(() => me);
    } else if (!chosen && isLocale(me.user.locale)) {
      await applyLocale(me.user.locale);
    }
    setState(signedIn(me));
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      setApiWorkspace(null);
      setState({ status: 'anonymous', expired: false });
    }
  }, []);

  const refresh = useCallback(async () => {
    const me = await api.get<Me>('/me');
    setState(signedIn(me));
  }, []);

  const switchWorkspace = useCallback(async (workspaceId: string) => {
    const me = await api.post<Me>('/me/workspace', { workspaceId });
    setState(signedIn(me));
    return me.workspaces.find((w) => w.id === me.currentWorkspaceId) ?? null;
  }, []);

  const isSignedIn = state.status === 'signed-in';
  const setLocale = useCallback(
    async (locale: Locale) => {
      await applyLocale(locale);
      if (!isSignedIn) return;
      const me = await api.patch<Me>('/me', { locale });
      setState(signedIn(me));
    },
    [isSignedIn],
  );

  const value = useMemo<AuthValue>(
    () => ({ state, login, logout, refresh, switchWorkspace, setLocale }),
    [state, login, logout, refresh, switchWorkspace, setLocale],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}
