import { useTranslation } from 'react-i18next';
import type { CaseView, ConsentRecord } from '../../api/types';
import { Empty } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { useConsentLine, useConsentTitle } from './CaseBits';

/** The consent tab (PIPL Art. 28–29): every consent on record, in force or withdrawn, and the way to add or withdraw one. */
export function CaseConsents({
  record,
  canUpdate,
  partnerName,
  onAdd,
  onWithdraw,
}: {
  record: CaseView;
  canUpdate: boolean;
  partnerName: (id: string | null) => string | null;
  onAdd: () => void;
  onWithdraw: (consent: ConsentRecord) => void;
}) {
  const { t, i18n } = useTranslation();
  const consentTitle = useConsentTitle(partnerName);
  const consentLine = useConsentLine();
  return (
    <section className="card" aria-labelledby="case-consent" data-testid="case-section-consent">
      <div className="section-head">
        <h2 id="case-consent">{t('cases.section.consent')}</h2>
        {canUpdate && (
          <button type="button" className="button button-small" onClick={onAdd} data-testid="consent-add">
            {t('consent.add.open')}
          </button>
        )}
      </div>
      {record.consent.records.length === 0 ? (
        <Empty>{t('consent.none')}</Empty>
      ) : (
        <ul className="consent-list">
          {record.consent.records.map((c) => (
            <li key={c.id} className={c.status === 'withdrawn' ? 'consent consent-withdrawn' : 'consent'} data-testid="consent-item">
              <div className="consent-head">
                <strong>{consentTitle(c)}</strong>
                {c.status === 'withdrawn' ? (
                  <span className="badge badge-overdue">
                    {t('consent.withdrawnAt', { at: c.withdrawnAt ? formatInstant(c.withdrawnAt, i18n.language) : t('common.none') })}
                  </span>
                ) : (
                  <span className="badge badge-active">{t('consent.inForce')}</span>
                )}
                {c.status === 'active' && canUpdate && c.kind !== 'legal_basis' && (
                  <button type="button" className="link-button" onClick={() => onWithdraw(c)} data-testid="consent-withdraw">
                    {t('consent.withdraw.open')}
                  </button>
                )}
              </div>
              <p className="muted">{consentLine(c)}</p>
              {c.scope && <p className="consent-scope">{t('consent.scopeLine', { scope: c.scope })}</p>}
              <p className="field-hint">
                {t('consent.recordedBy', {
                  who: c.recordedBy.displayName ?? t('leads.system'),
                  at: formatInstant(c.recordedAt, i18n.language),
                  source: t(`consent.source.${c.source}`),
                })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
