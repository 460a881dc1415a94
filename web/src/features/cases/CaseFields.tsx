import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITIES, type Severity } from '../../api/types';
import { CONDITION_DISPLAY_GROUPS, displayGroup, useConditions } from './conditions';
import { yuanToMinor } from './money';

/** The condition category, grouped: the 28 severe conditions, the mild ones, injury, other. */
export function ConditionSelect({ value, onChange, testId }: { value: string; onChange: (code: string) => void; testId?: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const conditions = useConditions();
  const english = i18n.language.startsWith('en');
  const all = conditions.data ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>{t('cases.field.category')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required data-testid={testId}>
        <option value="" disabled>
          {conditions.isPending ? t('common.loading') : t('staff.choose')}
        </option>
        {CONDITION_DISPLAY_GROUPS.map((g) => {
          const items = all.filter((c) => displayGroup(c.code, c.group) === g);
          if (items.length === 0) return null;
          return (
            <optgroup key={g} label={t(`cases.conditionGroup.${g}`, { count: items.length })}>
              {items.map((c, i) => (
                <option key={c.code} value={c.code}>
                  {g === 'severe' ? `${i + 1}. ` : ''}
                  {english ? c.en : c.zh}
                </option>
              ))}
            </optgroup>
          );
        })}
      </select>
    </div>
  );
}

/** An amount in yuan, typed as text and converted to fen exactly when sent. */
export function MoneyField({
  label,
  value,
  onChange,
  hint,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const invalid = yuanToMinor(value) === undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-affix">
        <span className="input-affix-sign" aria-hidden="true">
          ¥
        </span>
        <input
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          inputMode="decimal"
          autoComplete="off"
          maxLength={20}
          aria-invalid={invalid}
          aria-describedby={`${id}-hint`}
          data-testid={testId}
        />
      </div>
      <span id={`${id}-hint`} className={invalid ? 'field-error' : 'field-hint'}>
        {invalid ? t('cases.amountInvalid') : (hint ?? t('cases.amountHint'))}
      </span>
    </div>
  );
}

/** Low, medium or high vulnerability, as a row of choices. */
export function SeverityChoice({ value, onChange }: { value: Severity; onChange: (s: Severity) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="field">
      <legend>{t('cases.field.severity')}</legend>
      <div className="segmented" role="radiogroup">
        {SEVERITIES.map((s) => (
          <label key={s} className={`segment segment-${s}`}>
            <input
              type="radio"
              name="severity"
              value={s}
              checked={value === s}
              onChange={() => onChange(s)}
              data-testid={`case-severity-${s}`}
            />
            <span>{t(`cases.severity.${s}`)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Yes or no, as two radio buttons (a checkbox would not say "no" on paper). */
export function YesNo({ legend, value, onChange, name }: { legend: string; value: boolean; onChange: (v: boolean) => void; name: string }) {
  const { t } = useTranslation();
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      <div className="segmented" role="radiogroup">
        {[true, false].map((v) => (
          <label key={String(v)} className="segment">
            <input
              type="radio"
              name={name}
              checked={value === v}
              onChange={() => onChange(v)}
              data-testid={`${name}-${v ? 'yes' : 'no'}`}
            />
            <span>{v ? t('common.yes') : t('common.no')}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A date `days` from today, as `YYYY-MM-DD` in the reader's calendar. */
export function dateFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}
