import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** The user's message for an error: translated by its API code, else the server's detail. */
export function errorMessage(t: TFunction, i18nExists: (key: string) => boolean, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (i18nExists(key)) return t(key);
    if (error.detail) return error.detail;
  }
  return t('errors.UNKNOWN');
}

/** One refused field as the server names it: a path, a stable reason and, for sizes, its bound. */
export interface FieldErrorLike {
  path: string;
  message: string;
  reason?: string;
  limit?: number;
}

/**
 * A refused field in the reader's language: its label (the form's own, else the shared one for the
 * field's name, else none) and the reason. The server's English `message` is never shown.
 */
export function fieldErrorText(
  t: TFunction,
  i18nExists: (key: string) => boolean,
  fe: FieldErrorLike,
  labels: Readonly<Record<string, string>> = {},
): string {
  const name = fe.path
    .split('.')
    .filter((s) => !/^\d+$/.test(s) && !['body', 'query', 'params', 'querystring', 'headers', 'details'].includes(s))
    .at(-1);
  const label = labels[fe.path] ?? (name && i18nExists(`fields.${name}`) ? t(`fields.${name}`) : undefined);
  const sized = (fe.reason === 'too_small' || fe.reason === 'too_big') && fe.limit === undefined ? `${fe.reason}_plain` : fe.reason;
  const reasonKey = sized && i18nExists(`fieldErrors.${sized}`) ? `fieldErrors.${sized}` : 'fieldErrors.invalid';
  const reason = t(reasonKey, { limit: fe.limit });
  return label ? t('fieldErrors.labelled', { label, reason }) : reason;
}
