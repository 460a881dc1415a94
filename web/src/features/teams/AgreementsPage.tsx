import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { useBranchName } from '../../app/branches';
import type { Agreement, MissingAgreements } from './teamsApi';

type Missing = MissingAgreements['items'][number];

function RecordForm({ who, onDone }: { who: Missing; onDone: () => void }) {
  const { t } = useTranslation();
  const ids = { version: useId(), signed: useId(), expires: useId() };
  const [version, setVersion] = useState('');
  const [signedOn, setSignedOn] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const record = useMutation({
    mutationFn: () =>
      post<Agreement>(`/api/v1/admin/staff/${encodeURIComponent(who.staffId)}/agreements`, {
        version: version.trim(),
        signedOn,
        expiresOn,
      }),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  return (
    <form className="toolbar-form" onSubmit={submit}>
      <label htmlFor={ids.version}>{t('agreements.version')}</label>
      <input id={ids.version} value={version} onChange={(e) => setVersion(e.target.value)} maxLength={40} required />
      <label htmlFor={ids.signed}>{t('agreements.signedOn')}</label>
      <input id={ids.signed} type="date" value={signedOn} onChange={(e) => setSignedOn(e.target.value)} required />
      <label htmlFor={ids.expires}>{t('agreements.expiresOn')}</label>
      <input id={ids.expires} type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} required />
      <button type="submit" className="button button-small button-primary" disabled={record.isPending} data-testid="agreement-record">
        {t('agreements.record')}
      </button>
      <ErrorNotice error={record.error} />
    </form>
  );
}

/** Administration of confidentiality agreements (P5.4.2): who lacks a valid one, and recording a signed one. */
export function AgreementsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const missing = useQuery({
    queryKey: ['agreements', 'missing'],
    queryFn: () => get<MissingAgreements>('/api/v1/admin/agreements/missing'),
  });
  const items = missing.data?.items ?? [];
  const done = () => queryClient.invalidateQueries({ queryKey: ['agreements'] });
  const branchName = useBranchName();
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('agreements.title')}</h1>
          <p className="page-sub">{t('agreements.intro')}</p>
        </div>
      </header>
      {missing.isPending && <Loading />}
      <ErrorNotice error={missing.error} />
      {missing.data && items.length === 0 && <Empty>{t('agreements.allValid')}</Empty>}
      {items.length > 0 && (
        <section className="card card-flush">
          <table className="table" data-testid="agreements-missing">
            <thead>
              <tr>
                <th>{t('agreements.staff')}</th>
                <th>{t('agreements.latest')}</th>
                <th>{t('agreements.record')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.staffId}>
                  <td>
                    {m.displayName} <span className="muted mono">{m.username}</span> · {branchName(m.branchCode)}
                  </td>
                  <td>
                    {m.latest
                      ? t('agreements.expired', { version: m.latest.version, expiresOn: m.latest.expiresOn })
                      : t('agreements.none')}
                  </td>
                  <td>
                    <RecordForm who={m} onDone={done} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
