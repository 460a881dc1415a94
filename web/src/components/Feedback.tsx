import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The quiet placeholder while data loads. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('common.loading')}
    </div>
  );
}

/** A message where a list or chart has nothing to show. */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A one-off secret (temporary password, API key) shown once, with a copy button. */
export function SecretOnce({
  label,
  value,
  hint,
  testId = 'temporary-password',
}: {
  label: string;
  value: string;
  hint: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-secret" role="status">
      <p className="secret-label">{label}</p>
      <div className="secret-row">
        <code className="secret-value" data-testid={testId}>
          {value}
        </code>
        <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(value)}>
          {t('common.copy')}
        </button>
      </div>
      <p className="secret-hint">{hint}</p>
    </div>
  );
}
