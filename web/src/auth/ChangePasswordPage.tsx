import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Field } from '../components/Field';
import { AuthFrame } from './AuthFrame';
import { useSession } from './session';

/** The server's rule (staff.schemas.ts PasswordSchema): long rather than complicated. */
export const MIN_PASSWORD_LENGTH = 12;

/** Replacing a temporary password before anything else. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { refresh, signOut } = useSession();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);

  const change = useMutation({
    mutationFn: () => post('/api/v1/auth/password', { currentPassword, newPassword }),
    onSuccess: () => refresh(),
  });

  const tooShort = newPassword.length < MIN_PASSWORD_LENGTH;
  const mismatch = newPassword !== repeat;
  const problem = tooShort
    ? t('auth.changePassword.tooShort', { min: MIN_PASSWORD_LENGTH })
    : mismatch
      ? t('auth.changePassword.mismatch')
      : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!problem) change.mutate();
  };

  return (
    <AuthFrame title={t('auth.changePassword.title')} intro={t('auth.changePassword.intro')}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorNotice error={change.error} />
        <Field
          label={t('auth.changePassword.current')}
          type="password"
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
          autoComplete="current-password"
          required
        />
        <Field
          label={t('auth.changePassword.new')}
          type="password"
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
          autoComplete="new-password"
          hint={t('auth.changePassword.hint', { min: MIN_PASSWORD_LENGTH })}
          required
        />
        <Field
          label={t('auth.changePassword.repeat')}
          type="password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          autoComplete="new-password"
          required
        />
        {touched && problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button button-primary button-block" disabled={change.isPending}>
          {t('auth.changePassword.submit')}
        </button>
        <button type="button" className="button button-ghost button-block" onClick={() => void signOut()}>
          {t('topbar.signOut')}
        </button>
      </form>
    </AuthFrame>
  );
}
