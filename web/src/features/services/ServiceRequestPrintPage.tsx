import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { summaryLocaleOf, useServiceRequest } from './api-documents';
import { SignatureRecord, useTypeName } from './ServiceRequestPage';
import './service-request.css';

/**
 * The request as a paper sheet: the summary the customer signed, the checklist with its ticks, and
 * the signature with its image and hash (P6.1.2). The print style sheet hides the app frame.
 */
export function ServiceRequestPrintPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { id = '' } = useParams();
  const { view, types, documents, summary, signatures } = useServiceRequest(id, summaryLocaleOf(locale));
  const typeName = useTypeName(types.data?.items);
  const r = view.data;
  if (view.isPending) return <Loading />;
  if (!r) return <ErrorNotice error={view.error} />;
  const signed = signatures.data?.items.find((s) => s.status === 'valid');

  return (
    <div className="print-page">
      <div className="print-toolbar no-print">
        <Link to={`/service-requests/${encodeURIComponent(r.id)}`} className="button button-ghost">
          {t('serviceRequest.print.back')}
        </Link>
        <button type="button" className="button button-primary" onClick={() => window.print()} data-testid="print-now">
          {t('serviceRequest.print.print')}
        </button>
      </div>
      <article className="paper" data-testid="service-request-print">
        <header className="paper-head">
          <h1>{t('serviceRequest.print.title', { service: typeName(r.type) })}</h1>
          <p className="paper-meta">
            {r.case.customerName} · {r.case.caseNumber} · {t(`serviceRequest.status.${r.status}`)} · {t('serviceRequest.dueAt')}{' '}
            {formatInstant(r.dueAt, locale)}
          </p>
        </header>
        <section className="paper-section">
          <h2>{t('serviceRequest.print.summary')}</h2>
          {/* The text signed, as signed; the request's current one when nothing valid is signed. */}
          <pre className="summary-text" data-testid="print-summary">
            {signed?.summaryText ?? summary.data?.text ?? ''}
          </pre>
        </section>
        <section className="paper-section">
          <h2>{t('serviceRequest.documents.title')}</h2>
          <table className="paper-table">
            <tbody>
              {documents.data?.items.map((d) => (
                <tr key={d.code}>
                  <th scope="row">{locale.startsWith('zh') ? d.zh : d.en}</th>
                  <td>
                    {d.ticked
                      ? t('serviceRequest.documents.tickedBy', {
                          name: d.ticked.by?.displayName ?? t('common.none'),
                          at: formatInstant(d.ticked.at, locale),
                          evidence: d.ticked.evidenceRef ?? t('common.none'),
                        })
                      : t('serviceRequest.documents.notTicked')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="paper-section paper-signatures" data-testid="print-signature">
          <h2>{t('serviceRequest.signature.title')}</h2>
          {signed ? <SignatureRecord s={signed} /> : <p>{t('serviceRequest.signature.none')}</p>}
        </section>
      </article>
    </div>
  );
}
