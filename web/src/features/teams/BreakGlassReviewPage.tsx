import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get, post, query } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import type { Grant, GrantList } from './teamsApi';

function ReviewForm({ grant }: { grant: Grant }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const queryClient = useQueryClient();
  const review = useMutation({
    mutationFn: () => post<Grant>(`/api/v1/break-glass/${encodeURIComponent(grant.id)}/review`, { note: note.trim() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['break-glass'] }),
  });
  return (
    <form
      className="toolbar-form"
      onSubmit={(e) => {
        e.preventDefault();
        review.mutate();
      }}
    >
      <input
        value={note}
        onChange={(e) => setNote(e.target.value)}
        aria-label={t('access.review.note')}
        placeholder={t('access.review.note')}
        maxLength={1000}
        required
      />
      <button
        type="submit"
        className="button button-small"
        disabled={review.isPending || note.trim() === ''}
        data-testid="break-glass-review"
      >
        {t('access.review.submit')}
      </button>
      <ErrorNotice error={review.error} />
    </form>
  );
}

/** Break-glass accesses to review (P5.4.1): the branch's for supervisors, every branch's for inspectors. */
export function BreakGlassReviewPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<'open' | 'reviewed'>('open');
  const grants = useQuery({
    queryKey: ['break-glass', status],
    queryFn: () => get<GrantList>(`/api/v1/break-glass${query({ status })}`),
    staleTime: 0,
  });
  const items = grants.data?.items ?? [];
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('access.review.title')}</h1>
          <p className="page-sub">{t('access.review.intro')}</p>
        </div>
        <div className="toolbar-form">
          {(['open', 'reviewed'] as const).map((s) => (
            <button
              key={s}
              type="button"
              className={s === status ? 'button button-primary button-small' : 'button button-small'}
              aria-pressed={s === status}
              onClick={() => setStatus(s)}
            >
              {t(`access.review.status.${s}`)}
            </button>
          ))}
        </div>
      </header>
      {grants.isPending && <Loading />}
      <ErrorNotice error={grants.error} />
      {grants.data && items.length === 0 && <Empty>{t('access.review.empty')}</Empty>}
      {items.length > 0 && (
        <section className="card card-flush">
          <table className="table" data-testid="break-glass-list">
            <thead>
              <tr>
                <th>{t('access.review.case')}</th>
                <th>{t('access.review.who')}</th>
                <th>{t('access.review.when')}</th>
                <th>{t('access.review.reason')}</th>
                <th>{status === 'open' ? t('access.review.action') : t('access.review.note')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <tr key={g.id} data-testid="break-glass-item">
                  <td className="mono">
                    <Link to={`/cases/${encodeURIComponent(g.caseId)}`}>{g.caseNumber ?? g.caseId}</Link>
                  </td>
                  <td>{g.staff.displayName ?? g.staff.id}</td>
                  <td>
                    {formatInstant(g.grantedAt, i18n.language)}
                    {g.inForce && <span className="badge">{t('access.review.inForce')}</span>}
                  </td>
                  <td>{g.reason}</td>
                  <td>{status === 'open' ? <ReviewForm grant={g} /> : `${g.reviewNote ?? ''} · ${g.reviewedBy?.displayName ?? ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
