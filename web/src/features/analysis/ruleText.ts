import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { EvidenceData } from '../../../../src/domain/analysis/evidence.js';
import { formatCount, formatDay, formatMinor } from '../../i18n/format';

/** Values that are calendar days (`YYYY-MM-DD`). */
const DAYS = new Set(['redeemedOn', 'since', 'on']);

/** A rule's name in the reader's language; the id itself for a rule this version of the page does not know. */
export function useRuleName(): (id: string) => string {
  const { t } = useTranslation();
  return useCallback((id: string) => t(`analysis.rules.${id}.name`, { defaultValue: id }), [t]);
}

/** A rule's description in the reader's language (empty for an unknown rule). */
export function useRuleDescription(): (id: string) => string {
  const { t } = useTranslation();
  return useCallback((id: string) => t(`analysis.rules.${id}.description`, { defaultValue: '' }), [t]);
}

/**
 * What one rule hit found, in the reader's language (issue 10): the facts' values formatted —
 * amounts (`…Minor`) as money of the transaction's currency, days as dates, channels by name —
 * and put into `analysis.evidence.<key>`. Names (payee, hospital, insurer) are the transaction's data.
 */
export function useEvidenceText(): (facts: EvidenceData, currency: string) => string {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (facts, currency) => {
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(facts.values)) {
      if (value === null) {
        values[name] =
          name === 'merchant'
            ? t('analysis.fallback.merchant', { mcc: String(facts.values.mcc ?? '') })
            : t(`analysis.fallback.${name}`, { defaultValue: '' });
      } else if (typeof value === 'number') {
        if (name.endsWith('Minor')) values[name] = formatMinor(value, currency, locale);
        else if (name === 'ratio')
          values[name] = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
        else values[name] = formatCount(value, locale);
      } else if (name === 'channel') values[name] = t(`alerts.txnChannel.${value}`, { defaultValue: value });
      else if (DAYS.has(name)) values[name] = formatDay(value, locale);
      else values[name] = value;
    }
    return t(`analysis.evidence.${facts.key}`, values);
  };
}
