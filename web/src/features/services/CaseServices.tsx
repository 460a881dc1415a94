import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get, request } from '../../api/client';
import type { CaseView, CustomerDetail } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatDay, formatInstant, formatMinor } from '../../i18n/format';
import { CollectionCard } from '../credit/CollectionCard';
import { LoanWatchCard } from '../credit/LoanWatchCard';
import { ACCOMMODATIONS, type Accommodations, type CaseWaivers, newRequestLink, requestLink, type ServiceRequestList } from './api';
import { RequestTable } from './ServiceBits';

type Accommodation = Accommodations['codes'][number];

/** What the branch does for the customer at the counter (P6.2.1), ticked and saved by the case's team. */
function AccommodationsEditor({ caseId, canEdit }: { caseId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: ['services', 'case', caseId, 'accommodations'],
    queryFn: () => get<Accommodations>(`/api/v1/cases/${encodeURIComponent(caseId)}/accommodations`),
  });
  const [draft, setDraft] = useState<Accommodation[] | null>(null);
  const save = useMutation({
    mutationFn: (codes: Accommodation[]) =>
      request<Accommodations>('PUT', `/api/v1/cases/${encodeURIComponent(caseId)}/accommodations`, { body: { codes } }),
    onSuccess: async () => {
      setDraft(null);
      await queryClient.invalidateQueries({ queryKey: ['services', 'case', caseId, 'accommodations'] });
    },
  });
  const codes = draft ?? current.data?.codes ?? [];
  const toggle = (code: Accommodation) => setDraft(codes.includes(code) ? codes.filter((c) => c !== code) : [...codes, code]);
  return (
    <section className="card" aria-labelledby="case-accommodations" data-testid="case-accommodations">
      <h2 id="case-accommodations">{t('services.accommodations.title')}</h2>
      <p className="muted">{t('services.accommodations.intro')}</p>
      <ErrorNotice error={current.error ?? save.error} />
      {current.isPending ? (
        <Loading />
      ) : canEdit ? (
        <>
          <div className="checkbox-grid">
            {ACCOMMODATIONS.map((code) => (
              <label key={code} className="checkbox">
                <input type="checkbox" checked={codes.includes(code)} onChange={() => toggle(code)} data-testid={`accommodation-${code}`} />
                {t(`services.accommodations.code.${code}`)}
              </label>
            ))}
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => save.mutate(codes)}
              disabled={draft === null || save.isPending}
              data-testid="accommodations-save"
            >
              {t('common.save')}
            </button>
          </div>
        </>
      ) : codes.length === 0 ? (
        <Empty>{t('services.accommodations.none')}</Empty>
      ) : (
        <ul className="chips">
          {codes.map((code) => (
            <li key={code} className="chip">
              {t(`services.accommodations.code.${code}`)}
            </li>
          ))}
        </ul>
      )}
      {current.data?.updatedAt && (
        <p className="muted">{t('services.accommodations.updatedAt', { at: formatInstant(current.data.updatedAt, i18n.language) })}</p>
      )}
    </section>
  );
}

/** The case's fee waivers (P4.2.1), in force or not, by the account's number. */
function FeeWaivers({ caseId, accounts }: { caseId: string; accounts: CustomerDetail['accounts'] }) {
  const { t, i18n } = useTranslation();
  const waivers = useQuery({
    queryKey: ['services', 'case', caseId, 'waivers'],
    queryFn: () => get<CaseWaivers>(`/api/v1/cases/${encodeURIComponent(caseId)}/fee-waivers`),
  });
  const items = waivers.data?.items ?? [];
  const accountNumber = (id: string) => accounts.find((a) => a.id === id)?.accountNumber ?? t('common.none');
  const relief = (w: CaseWaivers['items'][number]) => {
    if (w.kind === 'percent' && w.percent !== null) return t('services.waivers.percent', { percent: w.percent });
    if (w.kind === 'amount' && w.amountMinor !== null)
      return t('services.waivers.amount', { amount: formatMinor(w.amountMinor, 'CNY', i18n.language) });
    return t('services.waivers.full');
  };
  return (
    <section className="card card-flush" aria-labelledby="case-waivers" data-testid="case-waivers">
      <h2 id="case-waivers" className="card-title">
        {t('services.waivers.title')}
        {waivers.data && <span className="count">{t('common.count', { count: items.length })}</span>}
      </h2>
      <ErrorNotice error={waivers.error} />
      {waivers.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>{t('services.waivers.empty')}</Empty>
      ) : (
        <div className="table-scroll">
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">{t('fields.accountId')}</th>
                <th scope="col">{t('fields.feeType')}</th>
                <th scope="col">{t('services.waivers.relief')}</th>
                <th scope="col">{t('services.waivers.validity')}</th>
                <th scope="col">{t('services.field.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.requestId} className={w.inForce ? undefined : 'row-muted'}>
                  <td className="mono">{accountNumber(w.accountId)}</td>
                  <td>
                    <Link to={requestLink(w.requestId)}>
                      {t(`services.feeType.${w.feeType}`, { defaultValue: t('services.feeType.other') })}
                    </Link>
                  </td>
                  <td>{relief(w)}</td>
                  <td className="nowrap">
                    {t('services.waivers.range', {
                      from: formatDay(w.validFrom, i18n.language),
                      to: formatDay(w.endedOn && w.endedOn < w.validUntil ? w.endedOn : w.validUntil, i18n.language),
                    })}
                  </td>
                  <td>
                    <span className={w.inForce ? 'badge badge-active' : 'badge badge-disabled'}>
                      {t(w.inForce ? 'services.waivers.inForce' : 'services.waivers.notInForce')}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The case's services (P4, P6): its requests with their times, a new request, the counter's accommodations and the fee waivers. */
export function CaseServices({ record }: { record: CaseView }) {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const customerId = record.basic.customer.id;
  // The same query as the case page's own (useCaseContext): the waivers name accounts by their number.
  const customer = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => get<CustomerDetail>(`/api/v1/customers/${encodeURIComponent(customerId)}`),
    enabled: hasPermission(user.roles, 'customer.read'),
    retry: false,
  });
  const requests = useQuery({
    queryKey: ['services', 'case', record.id, 'requests'],
    queryFn: () => get<ServiceRequestList>(`/api/v1/cases/${encodeURIComponent(record.id)}/service-requests`),
  });
  // The team and the branch's supervisors work on services; the server refuses others, so they see no button.
  const works = record.status === 'active' && record.sensitiveVisible && hasPermission(user.roles, 'service.request');
  return (
    <div className="stack" data-testid="case-services">
      <section className="card card-flush" aria-labelledby="case-service-requests">
        <div className="card-title section-head">
          <h2 id="case-service-requests">
            {t('services.case.title')}{' '}
            {requests.data && <span className="count">{t('common.count', { count: requests.data.items.length })}</span>}
          </h2>
          {works && hasPermission(user.roles, 'credit.assess') && (
            <Link
              className="button button-small"
              to={`/cases/${encodeURIComponent(record.id)}/restructuring`}
              data-testid="case-new-restructuring"
            >
              {t('credit.restructuring.open')}
            </Link>
          )}
          {works && (
            <Link className="button button-primary button-small" to={newRequestLink(record.id)} data-testid="case-new-service">
              {t('services.case.new')}
            </Link>
          )}
        </div>
        <ErrorNotice error={requests.error} />
        {requests.isPending ? (
          <Loading />
        ) : (
          <RequestTable items={requests.data?.items ?? []} showCase={false} testId="case-service-requests" />
        )}
      </section>
      <AccommodationsEditor caseId={record.id} canEdit={works} />
      <FeeWaivers caseId={record.id} accounts={customer.data?.accounts ?? []} />
      {record.sensitiveVisible && hasPermission(user.roles, 'collection.read') && (
        <CollectionCard caseId={record.id} canEdit={record.status === 'active' && hasPermission(user.roles, 'collection.manage')} />
      )}
      {record.sensitiveVisible && hasPermission(user.roles, 'credit.watch') && <LoanWatchCard caseId={record.id} />}
    </div>
  );
}
