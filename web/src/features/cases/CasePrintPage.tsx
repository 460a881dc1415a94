import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { type Money, SEVERITIES } from '../../api/types';
import { useBranchName } from '../../app/branches';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatInstant, formatMoney } from '../../i18n/format';
import { useCaseContext, useConsentLine, useConsentTitle } from './CaseBits';
import { useConditionName } from './conditions';
import { useCase } from './useCase';

/** One labelled cell pair of the paper form; `span` widens the value over further columns. */
function Cell({ label, children, span = 1 }: { label: string; children: ReactNode; span?: 1 | 3 }) {
  return (
    <>
      <th scope="row">{label}</th>
      <td colSpan={span}>{children}</td>
    </>
  );
}

/** Label, value, label, value: one grid for every table, so the columns line up down the sheet. */
function PaperColumns() {
  return (
    <colgroup>
      <col className="paper-col-label" />
      <col />
      <col className="paper-col-label" />
      <col />
    </colgroup>
  );
}

/**
 * The registration form (P2.3.3) as a paper form for A4: the bank's headings, bordered cells, a
 * signature block. The screen shows it as it will print; the print style sheet hides the app frame.
 */
export function CasePrintPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const branchName = useBranchName();
  const conditionName = useConditionName();
  const detail = useCase(id, null);
  const record = detail.data?.data;
  const context = useCaseContext(record);
  const consentTitle = useConsentTitle(context.partnerName);
  const consentLine = useConsentLine();

  if (detail.isPending) return <Loading />;
  if (!record) {
    return (
      <div className="page">
        <ErrorNotice error={detail.error} />
        <Link to="/cases">{t('cases.backToList')}</Link>
      </div>
    );
  }
  const b = record.basic;
  const master = context.customer;
  const none = t('common.none');
  const money = (m: Money | null | undefined) => (m ? formatMoney(m, locale) : none);
  const restricted = <span className="print-restricted">{t('cases.print.restricted')}</span>;
  const partner = context.partnerName(b.partnerId);

  return (
    <div className="print-page">
      <div className="print-toolbar no-print">
        <Link to={`/cases/${encodeURIComponent(record.id)}`} className="button button-ghost">
          {t('cases.print.back')}
        </Link>
        <p className="field-hint">{t('cases.print.hint')}</p>
        <button type="button" className="button button-primary" onClick={() => window.print()} data-testid="print-now">
          {t('cases.print.print')}
        </button>
      </div>

      <article className="paper" data-testid="print-form">
        <header className="paper-head">
          <p className="paper-bank">{t('cases.print.bank')}</p>
          <h1>{t('cases.print.title')}</h1>
          <p className="paper-confidential">{t('cases.print.confidential')}</p>
          <dl className="paper-meta">
            <div>
              <dt>{t('cases.field.caseNumber')}</dt>
              <dd className="mono">{record.caseNumber}</dd>
            </div>
            <div>
              <dt>{t('cases.print.branch')}</dt>
              <dd>{branchName(b.branch.code)}</dd>
            </div>
            <div>
              <dt>{t('cases.field.registeredAt')}</dt>
              <dd>{formatInstant(b.registeredAt, locale)}</dd>
            </div>
          </dl>
        </header>

        <h2 className="paper-section">{t('cases.print.s1')}</h2>
        <table className="paper-table">
          <PaperColumns />
          <tbody>
            <tr>
              <Cell label={t('customers.field.name')}>{b.corrections?.name ?? b.customer.name}</Cell>
              <Cell label={t('customers.field.customerNumber')}>
                <span className="mono">{b.customer.customerNumber}</span>
              </Cell>
            </tr>
            <tr>
              <Cell label={t('customers.field.gender')}>{master ? t(`gender.${master.gender}`) : none}</Cell>
              <Cell label={t('customers.field.dateOfBirth')}>{master?.dateOfBirth ?? none}</Cell>
            </tr>
            <tr>
              <Cell label={t('customers.field.nationalId')}>{master?.nationalIdMasked ?? none}</Cell>
              <Cell label={t('customers.field.phone')}>
                {record.sensitiveVisible ? (b.corrections?.phone ?? master?.phoneMasked ?? none) : restricted}
              </Cell>
            </tr>
            <tr>
              <Cell label={t('customers.field.address')} span={3}>
                {record.sensitiveVisible ? (b.corrections?.address ?? master?.addressMasked ?? none) : restricted}
              </Cell>
            </tr>
          </tbody>
        </table>

        <h2 className="paper-section">{t('cases.print.s2')}</h2>
        <table className="paper-table">
          <PaperColumns />
          <tbody>
            <tr>
              <Cell label={t('cases.field.category')} span={3}>
                {record.condition ? conditionName(record.condition.category) : restricted}
              </Cell>
            </tr>
            {record.condition && (
              <>
                <tr>
                  <Cell label={t('cases.field.diagnosedOn')}>{record.condition.diagnosedOn ?? none}</Cell>
                  <Cell label={t('cases.field.hospital')}>{record.condition.hospital ?? none}</Cell>
                </tr>
                <tr>
                  <Cell label={t('cases.field.description')} span={3}>
                    <span className="prose">{record.condition.description}</span>
                  </Cell>
                </tr>
              </>
            )}
            <tr>
              <Cell label={t('cases.field.discoveryChannel')}>
                {t(`leads.channel.${b.channel}`, { defaultValue: b.channel })}
                {partner ? ` · ${partner}` : ''}
              </Cell>
              <Cell label={t('cases.field.mobilityImpaired')}>
                <span className="paper-choices">
                  {[true, false].map((v) => (
                    <span key={String(v)} className={b.mobilityImpaired === v ? 'paper-choice chosen' : 'paper-choice'}>
                      {v ? t('common.yes') : t('common.no')}
                    </span>
                  ))}
                </span>
              </Cell>
            </tr>
          </tbody>
        </table>

        <h2 className="paper-section">{t('cases.print.s3')}</h2>
        <table className="paper-table">
          <PaperColumns />
          <tbody>
            {record.finances ? (
              <>
                <tr>
                  <Cell label={t('cases.field.lostIncome')}>{money(record.finances.lostIncome)}</Cell>
                  <Cell label={t('cases.field.expectedMedicalCosts')}>{money(record.finances.expectedMedicalCosts)}</Cell>
                </tr>
                <tr>
                  <Cell label={t('cases.field.debts')}>{money(record.finances.debts)}</Cell>
                  <Cell label={t('cases.field.financeNotes')}>{record.finances.notes ?? none}</Cell>
                </tr>
              </>
            ) : (
              <tr>
                <Cell label={t('cases.section.finances')} span={3}>
                  {restricted}
                </Cell>
              </tr>
            )}
          </tbody>
        </table>

        <h2 className="paper-section">{t('cases.print.s4')}</h2>
        <table className="paper-table">
          <PaperColumns />
          <tbody>
            <tr>
              <Cell label={t('cases.field.severity')}>
                <span className="paper-choices">
                  {SEVERITIES.map((s) => (
                    <span key={s} className={b.severity === s ? 'paper-choice chosen' : 'paper-choice'}>
                      {t(`cases.severity.${s}`)}
                    </span>
                  ))}
                </span>
              </Cell>
              <Cell label={t('cases.field.reviewOn')}>{b.reviewOn}</Cell>
            </tr>
            <tr>
              <Cell label={t('cases.field.maintainer')}>{b.maintainer?.displayName ?? none}</Cell>
              <Cell label={t('cases.field.nextUpdateDue')}>{b.nextUpdateDue}</Cell>
            </tr>
          </tbody>
        </table>

        <h2 className="paper-section">{t('cases.print.s5')}</h2>
        <table className="paper-table">
          <PaperColumns />
          <tbody>
            {record.consent.records.length === 0 ? (
              <tr>
                <Cell label={t('cases.section.consent')} span={3}>
                  {none}
                </Cell>
              </tr>
            ) : (
              record.consent.records.map((c) => (
                <tr key={c.id}>
                  <Cell label={consentTitle(c)} span={3}>
                    {consentLine(c)}
                    {c.scope && <span className="paper-scope">{t('consent.scopeLine', { scope: c.scope })}</span>}
                    {c.status === 'withdrawn' && (
                      <strong className="paper-withdrawn">
                        {t('consent.withdrawnAt', { at: c.withdrawnAt ? formatInstant(c.withdrawnAt, locale) : none })}
                      </strong>
                    )}
                  </Cell>
                </tr>
              ))
            )}
          </tbody>
        </table>

        <table className="paper-table paper-signatures">
          <PaperColumns />
          <tbody>
            <tr>
              <th scope="row">{t('cases.print.registeredBy')}</th>
              <td />
              <th scope="row">{t('cases.print.approvedBy')}</th>
              <td />
            </tr>
            <tr>
              <th scope="row">{t('cases.print.date')}</th>
              <td />
              <th scope="row">{t('cases.print.date')}</th>
              <td />
            </tr>
          </tbody>
        </table>
        <footer className="paper-foot">
          {t('cases.print.footer', { who: user.displayName, at: formatInstant(new Date().toISOString(), locale) })}
        </footer>
      </article>
    </div>
  );
}
