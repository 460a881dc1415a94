import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELD_REASONS } from '../../../src/platform/http/errors.js';
import en from './en.json';
import { fieldErrorText } from './errors';
import zhCN from './zh-CN.json';

const i18n = i18next.createInstance();

describe('field errors in the reader’s language', () => {
  beforeAll(async () => {
    await i18n.init({
      lng: 'zh-CN',
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      interpolation: { escapeValue: false },
    });
  });
  const text = (fe: Parameters<typeof fieldErrorText>[2], labels?: Record<string, string>) =>
    fieldErrorText(i18n.t, (k) => i18n.exists(k), fe, labels);

  it('should have a text for every reason the server sends, in both languages', () => {
    for (const reason of FIELD_REASONS) {
      expect(i18n.exists(`fieldErrors.${reason}`, { lng: 'zh-CN' }), reason).toBe(true);
      expect(i18n.exists(`fieldErrors.${reason}`, { lng: 'en' }), reason).toBe(true);
    }
  });

  it('should name the field by its shared label and never show the server’s English message', async () => {
    await i18n.changeLanguage('zh-CN');
    const shown = text({ path: 'body.details.accountId', message: 'not an account of the customer', reason: 'not_owned' });
    expect(shown).toBe('账户：不属于该客户');
    expect(text({ path: 'body.reason', message: 'Too small: expected string to have >=1 characters', reason: 'too_small', limit: 1 })).toBe(
      '理由：太短或太小（至少 1）',
    );
  });

  it('should prefer the form’s own label, skip list indexes, and fall back to a plain reason', async () => {
    await i18n.changeLanguage('en');
    expect(text({ path: 'body.members.0.staffId', message: 'x', reason: 'unknown' })).toBe('Staff member: No such record');
    expect(text({ path: 'body.reason', message: 'x', reason: 'required' }, { 'body.reason': 'Why' })).toBe('Why: Required');
    expect(text({ path: 'body.zzz', message: 'Invalid input', reason: 'something_new' })).toBe('Not valid');
    expect(text({ path: 'body.name', message: 'x', reason: 'too_big' })).toBe('Name: Too long or too large');
  });
});
