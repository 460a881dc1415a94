import { useMutation, useQuery } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import type { TotpEnrolment } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Feedback';
import { Field } from '../components/Field';
import { AuthFrame } from './AuthFrame';
import { useSession, useSignedIn } from './session';

/** Groups a base32 secret in fours so that it can be typed from the screen. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** First sign-in of an account that needs a second factor: scan the QR code, confirm a first code. */
export function MfaEnrolPage() {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const { refresh, signOut } = useSession();
  const [code, setCode] = useState('');
  const [qr, setQr] = useState<string | null>(null);

  // A query, not a mutation, so that re-renders (and React's strict double effects) start one
  // enrolment only; each start replaces the secret on the server.
  const enrolment = useQuery({
    queryKey: ['mfa-enrolment', user.id],
    queryFn: () => post<TotpEnrolment>('/api/v1/auth/mfa/enrol'),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

  const uri = enrolment.data?.otpauthUri;
  useEffect(() => {
    if (!uri) return;
    let live = true;
    QRCode.toDataURL(uri, { margin: 1, width: 200, errorCorrectionLevel: 'M' }).then(
      (url) => live && setQr(url),
      () => live && setQr(null),
    );
    return () => {
      live = false;
    };
  }, [uri]);

  const confirm = useMutation({
    mutationFn: (c: string) => post('/api/v1/auth/mfa/confirm', { code: c }),
    onSuccess: () => refresh(),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate(code);
  };

  return (
    <AuthFrame title={t('auth.enrol.title')} intro={t('auth.enrol.intro')}>
      {enrolment.isPending && <Loading />}
      <ErrorNotice error={enrolment.error} />
      {enrolment.data && (
        <div className="enrol">
          <ol className="steps">
            <li>
              <p>{t('auth.enrol.step1')}</p>
              <div className="qr">{qr && <img src={qr} width={200} height={200} alt={t('auth.enrol.qrAlt')} />}</div>
              <p className="field-hint">{t('auth.enrol.secretLabel')}</p>
              <code className="secret-value" data-testid="mfa-secret">
                {grouped(enrolment.data.secret)}
              </code>
            </li>
            <li>
              <form className="form" onSubmit={submit}>
                <ErrorNotice error={confirm.error} />
                <Field
                  label={t('auth.enrol.step2')}
                  name="code"
                  value={code}
                  onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="\d{6}"
                  maxLength={6}
                  required
                  data-testid="mfa-code"
                />
                <button type="submit" className="button button-primary button-block" disabled={confirm.isPending || code.length !== 6}>
                  {t('auth.enrol.confirm')}
                </button>
              </form>
            </li>
          </ol>
        </div>
      )}
      <button type="button" className="button button-ghost button-block" onClick={() => void signOut()}>
        {t('topbar.signOut')}
      </button>
    </AuthFrame>
  );
}
