import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager, useCursorPages } from '../../components/Pager';
import { get, query } from '../../api/client';
import type { StaffList } from '../../api/types';
import { useBranchName } from '../../app/branches';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { RoleChips } from '../../components/RoleChips';
import { formatInstant } from '../../i18n/format';
import { CreateStaffDialog } from './CreateStaffDialog';
import { EditStaffDialog } from './EditStaffDialog';
import { RoleRequestsPanel } from './RoleRequestsPanel';

const PAGE_SIZE = 20;

/** Staff administration: find, create and edit accounts, reset passwords and second factors. */
export function StaffAdminPage() {
  const { t, i18n } = useTranslation();
  const branchName = useBranchName();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  // Cursors of the pages visited so far, so that "previous" needs no backwards cursor from the API.
  const pages = useCursorPages();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const cursor = pages.cursor;

  const list = useQuery({
    queryKey: ['staff', 'list', q, cursor],
    queryFn: () => get<StaffList>(`/api/v1/admin/staff${query({ limit: PAGE_SIZE, cursor, q })}`),
    placeholderData: keepPreviousData,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(search.trim());
    pages.reset();
  };
  const nextCursor = list.data?.nextCursor;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('staff.title')}</h1>
          <p className="page-sub">{t('staff.intro')}</p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setCreating(true)} data-testid="staff-create">
          {t('staff.create.open')}
        </button>
      </header>

      <section className="card card-flush">
        <search className="toolbar" aria-label={t('staff.searchLabel')}>
          <form className="toolbar-form" onSubmit={submit}>
            <label htmlFor="staff-q" className="visually-hidden">
              {t('staff.searchLabel')}
            </label>
            <input
              id="staff-q"
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder={t('staff.searchPlaceholder')}
              maxLength={64}
              data-testid="staff-search"
            />
            <button type="submit" className="button">
              {t('common.search')}
            </button>
          </form>
        </search>
        {list.isPending && <Loading />}
        <ErrorNotice error={list.error} />
        {list.data && list.data.items.length === 0 && <Empty>{t('staff.none')}</Empty>}
        {list.data && list.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('staff.field.username')}</th>
                  <th scope="col">{t('staff.field.displayName')}</th>
                  <th scope="col">{t('staff.field.branch')}</th>
                  <th scope="col">{t('staff.field.roles')}</th>
                  <th scope="col">{t('staff.field.status')}</th>
                  <th scope="col">{t('staff.field.mfa')}</th>
                  <th scope="col">{t('staff.field.updatedAt')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((s) => (
                  <tr key={s.id} data-testid="staff-row" className={s.status === 'disabled' ? 'row-muted' : undefined}>
                    <td className="mono">{s.username}</td>
                    <td>{s.displayName}</td>
                    <td>{branchName(s.branchId)}</td>
                    <td>
                      <RoleChips roles={s.roles} />
                    </td>
                    <td>
                      <span className={`badge badge-${s.status}`}>{t(`staff.status.${s.status}`)}</span>
                      {s.mustChangePassword && <span className="badge badge-pending">{t('staff.mustChange')}</span>}
                    </td>
                    <td>{s.mfaEnrolled ? t('staff.mfa.enrolled') : t('staff.mfa.notEnrolled')}</td>
                    <td className="nowrap">{formatInstant(s.updatedAt, i18n.language)}</td>
                    <td className="num">
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setEditing(s.id)}
                        aria-label={t('staff.edit.open', { username: s.username })}
                      >
                        {t('common.edit')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager pages={pages} nextCursor={nextCursor} busy={list.isFetching} />
      </section>

      <RoleRequestsPanel />

      {creating && <CreateStaffDialog onClose={() => setCreating(false)} />}
      {editing && <EditStaffDialog staffId={editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
