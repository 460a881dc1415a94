import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { RoleRequest, RoleRequestList } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { RoleChips } from '../../components/RoleChips';
import { formatInstant } from '../../i18n/format';

/** Role requests that wait for a second administrator (four eyes): approve or reject, never one's own. */
export function RoleRequestsPanel() {
  const { t, i18n } = useTranslation();
  const me = useSignedIn().user;
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['staff', 'role-requests'], queryFn: () => get<RoleRequestList>('/api/v1/admin/role-requests') });
  const decide = useMutation({
    mutationFn: (v: { id: string; decision: 'approve' | 'reject' }) =>
      post<RoleRequest>(`/api/v1/admin/role-requests/${encodeURIComponent(v.id)}/decision`, { decision: v.decision }),
    onMutate: () => setNotice(null),
    onSuccess: async (r) => {
      setNotice(t(r.status === 'approved' ? 'staff.roleRequest.approved' : 'staff.roleRequest.rejected'));
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
  });
  const items = list.data?.items ?? [];

  return (
    <section className="card card-flush" aria-labelledby="role-requests-title" data-testid="role-requests">
      <header className="card-header">
        <h2 id="role-requests-title">{t('staff.roleRequest.title')}</h2>
        <p className="muted">{t('staff.roleRequest.intro')}</p>
      </header>
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      <ErrorNotice error={decide.error ?? list.error} />
      {list.isPending && <Loading />}
      {list.data && items.length === 0 && <Empty>{t('staff.roleRequest.none')}</Empty>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('staff.roleRequest.staff')}</th>
                <th scope="col">{t('staff.roleRequest.roles')}</th>
                <th scope="col">{t('staff.roleRequest.requestedBy')}</th>
                <th scope="col">{t('staff.roleRequest.requestedAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => {
                const own = r.requestedBy?.id === me.id || r.staff.id === me.id;
                return (
                  <tr key={r.id} data-testid="role-request-row">
                    <td>
                      {r.staff.displayName} <span className="mono muted">{r.staff.username}</span>
                    </td>
                    <td>
                      <RoleChips roles={r.roles} />
                    </td>
                    <td>{r.requestedBy?.displayName ?? ''}</td>
                    <td className="nowrap">{formatInstant(r.requestedAt, i18n.language)}</td>
                    <td className="num">
                      {own ? (
                        <span className="muted">{t('staff.roleRequest.own')}</span>
                      ) : (
                        <span className="button-row">
                          <button
                            type="button"
                            className="button button-small button-primary"
                            disabled={decide.isPending}
                            onClick={() => decide.mutate({ id: r.id, decision: 'approve' })}
                            data-testid="role-request-approve"
                          >
                            {t('staff.roleRequest.approve')}
                          </button>
                          <ConfirmButton
                            label={t('staff.roleRequest.reject')}
                            question={t('staff.roleRequest.rejectConfirm')}
                            onConfirm={() => decide.mutate({ id: r.id, decision: 'reject' })}
                            disabled={decide.isPending}
                            danger
                          />
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
