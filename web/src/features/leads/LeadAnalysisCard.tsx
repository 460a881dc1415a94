import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadView } from '../../api/types';
import { formatInstant, formatMinor } from '../../i18n/format';
import { useEvidenceText, useRuleDescription, useRuleName } from '../analysis/ruleText';

type LeadAnalysis = NonNullable<LeadView['analysis']>;

/**
 * P2.2.3: what transaction analysis found, for the supervisor who verifies it — each rule in the
 * reader's language with its weight and numbers, and every transaction it fired on (nothing cut).
 */
export function LeadAnalysisCard({ analysis }: { analysis: LeadAnalysis }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const ruleName = useRuleName();
  const ruleDescription = useRuleDescription();
  const evidenceText = useEvidenceText();
  const locale = i18n.language;
  return (
    <section className="card" aria-labelledby={titleId} data-testid="lead-analysis">
      <h2 id={titleId}>{t('analysis.lead.title')}</h2>
      {analysis.rules.map((r) => (
        <div key={r.id} className="analysis-rule" data-testid={`lead-analysis-rule-${r.id}`}>
          <h3>
            {ruleName(r.id)} <span className="muted">· {t('analysis.lead.weight', { weight: r.weight })}</span>
          </h3>
          <p className="muted">{ruleDescription(r.id)}</p>
          <p>{evidenceText(r.facts, r.transactions[0]?.currency ?? 'CNY')}</p>
          {r.transactions.length > 0 ? (
            <details>
              <summary>{t('analysis.lead.transactions', { count: r.transactions.length })}</summary>
              <table className="table table-dense">
                <thead>
                  <tr>
                    <th scope="col">{t('analysis.txn.bookedAt')}</th>
                    <th scope="col">{t('analysis.txn.direction')}</th>
                    <th scope="col" className="num">
                      {t('analysis.txn.amount')}
                    </th>
                    <th scope="col">{t('analysis.txn.counterparty')}</th>
                    <th scope="col">{t('analysis.txn.id')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.transactions.map((x) => (
                    <tr key={x.id}>
                      <td className="nowrap">{formatInstant(x.bookedAt, locale)}</td>
                      <td>{t(`analysis.direction.${x.direction}`)}</td>
                      <td className="num nowrap">{formatMinor(x.amountMinor, x.currency, locale)}</td>
                      <td translate="no">{x.counterpartyName ?? t('common.none')}</td>
                      <td className="mono muted">{x.id}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : (
            <p className="muted">{t('analysis.lead.noTransactions')}</p>
          )}
        </div>
      ))}
    </section>
  );
}
