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
