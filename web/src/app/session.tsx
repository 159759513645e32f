/**
 * Who is signed in (a citizen or a staff member), shared by all pages. The session is an httpOnly cookie; the
 * page keeps only what /api/v1/auth/me says, including the CSRF token for unsafe requests.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, type Schemas } from '../api/client.js';

type Me = NonNullable<Awaited<ReturnType<typeof fetchMe>>>;

async function fetchMe() {
  const { data } = await api.GET('/api/v1/auth/me');
  return data ?? null;
}

interface SessionValue {
  me: Me | null;
  loading: boolean;
  refresh(): Promise<Me | null>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    const next = await fetchMe().catch(() => null);
    setCsrfToken(next && 'csrfToken' in next ? next.csrfToken : null);
    setMe(next);
    setLoading(false);
    return next;
  }, []);

  const signOut = useCallback(async () => {
    await api.POST('/api/v1/auth/logout');
    setCsrfToken(null);
    setMe(null);
  }, []);

  useEffect(() => { void refresh(); }, [refresh]);
  const value = useMemo(() => ({ me, loading, refresh, signOut }), [me, loading, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export type { Schemas };
