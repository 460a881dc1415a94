import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorMessage, fieldErrorText } from '../i18n/errors';

/**
 * Shows an API error, translated by its code, with the fields the server refused in the reader's
 * language; `labels` gives the form's own names of fields by their path (e.g. `body.reason`).
 */
export function ErrorNotice({
  error,
  children,
  labels,
}: {
  error: unknown;
  children?: ReactNode;
  labels?: Readonly<Record<string, string>>;
}) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <div className="notice notice-error" role="alert">
      <p>{errorMessage(t, (key) => i18n.exists(key), error)}</p>
      {fields.length > 0 && (
        <ul className="field-errors">
          {fields.map((f) => (
            <li key={`${f.path}:${f.message}`}>{fieldErrorText(t, (key) => i18n.exists(key), f, labels)}</li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}
