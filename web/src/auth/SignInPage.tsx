import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, request } from '../api/client';
import type { Session } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';
import { AuthFrame } from './AuthFrame';
import { useSession } from './session';

interface Credentials {
  username: string;
  password: string;
  totp?: string;
}

/** A client-side code: the sign-in succeeded but the browser did not keep the session cookie. */
const COOKIE_REFUSED = 'COOKIE_REFUSED';

/**
 * Signs in. On a page that is not a secure context (plain HTTP at an address other than
 * localhost) a browser drops a `Secure` cookie, and the server sets one unless it runs with
 * LIFELINE_INSECURE_COOKIES=1: the sign-in answers 200 and the next request is anonymous. There,
 * and only there, the session is checked once before the app is entered.
 */
async function signInRequest(body: Credentials): Promise<Session> {
  const { data } = await request<Session>('POST', '/api/v1/auth/login', { body, signIn: true });
  if (!window.isSecureContext) {
    try {
      await request<Session>('GET', '/api/v1/auth/me', { signIn: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw new ApiError(0, COOKIE_REFUSED, '');
      throw err;
    }
  }
  return data;
}

/** Sign-in: user name and password, then a one-time code when the account needs one. */
export function SignInPage() {
  const { t } = useTranslation();
  const { signedIn, endedBecause } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [step, setStep] = useState<'password' | 'totp'>('password');

  const login = useMutation({
    mutationFn: signInRequest,
    onSuccess: signedIn,
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'MFA_REQUIRED') setStep('totp');
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(step === 'totp' ? { username, password, totp } : { username, password });
  };
  const cookieRefused = login.error instanceof ApiError && login.error.code === COOKIE_REFUSED;
  // Asking for the code is the expected next step, not an error to show; a refused cookie has its own notice.
  const shownError = login.error instanceof ApiError && (login.error.code === 'MFA_REQUIRED' || cookieRefused) ? null : login.error;
  const cookieNotice = cookieRefused && (
    <div className="notice notice-error" role="alert" data-testid="sign-in-cookie-refused">
      <p>{t('auth.cookieRefused.why')}</p>
      <p>{t('auth.cookieRefused.fix')}</p>
    </div>
  );
  const sessionNote = endedBecause && !login.error ? new ApiError(401, endedBecause, '') : null;

  if (step === 'totp') {
    return (
      <AuthFrame title={t('auth.totpTitle')} intro={t('auth.totpIntro')}>
        <form className="form" onSubmit={submit}>
          {cookieNotice}
          <ErrorNotice error={shownError} />
          <Field
            label={t('auth.totpCode')}
            name="totp"
            value={totp}
            onChange={(e) => setTotp(e.target.value.replace(/\D/g, '').slice(0, 6))}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            required
            autoFocus
            data-testid="sign-in-totp"
          />
          <button type="submit" className="button button-primary button-block" disabled={login.isPending || totp.length !== 6}>
            {login.isPending ? t('auth.verifying') : t('auth.verify')}
          </button>
          <button
            type="button"
            className="button button-ghost button-block"
            onClick={() => {
              setStep('password');
              setTotp('');
              login.reset();
            }}
          >
            {t('common.back')}
          </button>
        </form>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t('auth.signInTitle')} intro={t('auth.signInIntro')}>
      <form className="form" onSubmit={submit}>
        {cookieNotice}
        <ErrorNotice error={shownError ?? sessionNote} />
        <Field
          label={t('auth.username')}
          name="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          data-testid="sign-in-username"
        />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
          data-testid="sign-in-password"
        />
        <button type="submit" className="button button-primary button-block" disabled={login.isPending} data-testid="sign-in-submit">
          {login.isPending ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
    </AuthFrame>
  );
}
