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

/** Sign-in: user name and password, then a one-time code when the account needs one. */
export function SignInPage() {
  const { t } = useTranslation();
  const { signedIn, endedBecause } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [step, setStep] = useState<'password' | 'totp'>('password');

  const login = useMutation({
    mutationFn: async (body: Credentials) => (await request<Session>('POST', '/api/v1/auth/login', { body, signIn: true })).data,
    onSuccess: signedIn,
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'MFA_REQUIRED') setStep('totp');
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(step === 'totp' ? { username, password, totp } : { username, password });
  };
  // Asking for the code is the expected next step, not an error to show.
  const shownError = login.error instanceof ApiError && login.error.code === 'MFA_REQUIRED' ? null : login.error;
  const sessionNote = endedBecause && !login.error ? new ApiError(401, endedBecause, '') : null;

  if (step === 'totp') {
    return (
      <AuthFrame title={t('auth.totpTitle')} intro={t('auth.totpIntro')}>
        <form className="form" onSubmit={submit}>
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
