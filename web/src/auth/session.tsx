import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, get, post, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import type { Session } from '../api/types';

const ME_KEY = ['me'] as const;

/** What the app knows about the signed-in staff member. */
export interface SessionContextValue {
  /** `undefined` while the first `/auth/me` is in flight; `null` when signed out. */
  session: Session | null | undefined;
  /** Why the previous session ended (an error code), to tell the user on the sign-in page. */
  endedBecause: string | null;
  /** A failure to learn the session state at all (network, server down). */
  loadError: unknown;
  retry(): void;
  signedIn(session: Session): void;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

async function fetchMe(): Promise<Session | null> {
  try {
    const me = await get<Session>('/api/v1/auth/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

/** Holds the session: who is signed in, the CSRF token, sign-in, sign-out and session loss. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  const me = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Number.POSITIVE_INFINITY, retry: false });

  const forget = useCallback(() => {
    setCsrfToken(null);
    // Everything cached belonged to the previous user; `me` itself stays observed, set to null.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    queryClient.setQueryData(ME_KEY, null);
  }, [queryClient]);

  useEffect(() => {
    setUnauthorizedHandler((code) => {
      const hadSession = queryClient.getQueryData(ME_KEY) != null;
      forget();
      if (hadSession) setEndedBecause(code);
    });
  }, [queryClient, forget]);

  const value = useMemo<SessionContextValue>(
    () => ({
      session: me.data,
      endedBecause,
      loadError: me.error,
      retry: () => void me.refetch(),
      signedIn: (session) => {
        setCsrfToken(session.csrfToken);
        setEndedBecause(null);
        queryClient.setQueryData(ME_KEY, session);
      },
      refresh: async () => {
        await queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 0 });
      },
      signOut: async () => {
        try {
          await post('/api/v1/auth/logout');
        } catch {
          // The session may already be gone; signing out locally is what matters.
        }
        forget();
        setEndedBecause(null);
        navigate('/');
      },
    }),
    [me.data, me.error, me.refetch, endedBecause, queryClient, forget, navigate],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session context; only inside SessionProvider. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session; only on pages rendered after sign-in. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}
