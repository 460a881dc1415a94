import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorMessage } from '../i18n/errors';

/** Shows an API error, translated by its code, with the fields the server refused. */
export function ErrorNotice({ error, children }: { error: unknown; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <div className="notice notice-error" role="alert">
      <p>{errorMessage(t, (key) => i18n.exists(key), error)}</p>
      {fields.length > 0 && (
        <ul className="field-errors">
          {fields.map((f) => (
            <li key={`${f.path}:${f.message}`}>
              <code>{f.path}</code> {f.message}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}
