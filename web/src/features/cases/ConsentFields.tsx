import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CONSENT_CHANNELS, type ConsentChannel } from '../../api/types';
import { Field } from '../../components/Field';

/** A consent as the form holds it; `givenAt` is the local date-time of the input. */
export interface ConsentDraft {
  givenAt: string;
  channel: ConsentChannel;
  evidenceRef: string;
  scope: string;
}

/** Now, as a `datetime-local` value in the reader's time zone. */
export function localNow(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function newConsentDraft(scope: string): ConsentDraft {
  return { givenAt: localNow(), channel: 'paper', evidenceRef: '', scope };
}

/** The API's form of a draft: the local time as a UTC instant. */
export function consentGrant(d: ConsentDraft) {
  return {
    givenAt: new Date(d.givenAt).toISOString(),
    channel: d.channel,
    evidenceRef: d.evidenceRef.trim(),
    scope: d.scope.trim(),
  };
}

export function consentReady(d: ConsentDraft): boolean {
  return d.givenAt !== '' && !Number.isNaN(new Date(d.givenAt).getTime()) && d.evidenceRef.trim() !== '' && d.scope.trim() !== '';
}

/** When, how and on what evidence a consent was given, and to what it extends (PIPL Art. 29). */
export function ConsentFields({ value, onChange, testId }: { value: ConsentDraft; onChange: (v: ConsentDraft) => void; testId: string }) {
  const { t } = useTranslation();
  const channelId = useId();
  return (
    <div className="grid-4">
      <Field
        label={t('consent.field.givenAt')}
        type="datetime-local"
        value={value.givenAt}
        onChange={(e) => onChange({ ...value, givenAt: e.target.value })}
        required
        data-testid={`${testId}-given-at`}
      />
      <div className="field">
        <label htmlFor={channelId}>{t('consent.field.channel')}</label>
        <select
          id={channelId}
          value={value.channel}
          onChange={(e) => onChange({ ...value, channel: CONSENT_CHANNELS.find((c) => c === e.target.value) ?? 'paper' })}
          data-testid={`${testId}-channel`}
        >
          {CONSENT_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`consent.channel.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <Field
        label={t('consent.field.evidenceRef')}
        value={value.evidenceRef}
        onChange={(e) => onChange({ ...value, evidenceRef: e.target.value })}
        maxLength={200}
        required
        placeholder={t('consent.evidencePlaceholder')}
        data-testid={`${testId}-evidence`}
      />
      <Field
        label={t('consent.field.scope')}
        value={value.scope}
        onChange={(e) => onChange({ ...value, scope: e.target.value })}
        maxLength={500}
        required
        data-testid={`${testId}-scope`}
      />
    </div>
  );
}
