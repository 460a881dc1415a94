import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager, useCursorPages } from '../../components/Pager';
import { ApiError, get, post, query, request } from '../../api/client';
import type { CreatePartnerInput, Partner, PartnerKeySecret, PartnerList, UpdatePartnerInput } from '../../api/types';
import { useBranchName } from '../../app/branches';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { formatInstant } from '../../i18n/format';
import { BranchSelect } from '../staff/StaffFields';

const partnerPath = (id: string) => `/api/v1/admin/partners/${encodeURIComponent(id)}`;

/** The secret of a new key: shown this once, with a plain warning that it cannot be shown again. */
function KeySecret({ issued }: { issued: PartnerKeySecret }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-secret" role="status" data-testid="partner-secret-box">
      <p className="secret-label">{t('partners.key.secretTitle')}</p>
      <p>
        {t('partners.key.keyId')} <code data-testid="partner-key-id">{issued.keyId}</code>
      </p>
      <div className="secret-row">
        <code className="secret-value" data-testid="partner-secret">
          {issued.secret}
        </code>
        <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(issued.secret)}>
          {t('common.copy')}
        </button>
      </div>
      <p className="secret-hint">
        <strong>{t('partners.key.secretWarning')}</strong>
      </p>
    </div>
  );
}

function CreatePartnerDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<CreatePartnerInput>({ code: '', name: '', defaultBranchId: '' });
  const create = useMutation({
    mutationFn: (body: CreatePartnerInput) => post<Partner>('/api/v1/admin/partners', body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['partners'] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ code: form.code.trim().toUpperCase(), name: form.name.trim(), defaultBranchId: form.defaultBranchId });
  };
  return (
    <Dialog title={t('partners.create.title')} onClose={onClose}>
      <ErrorNotice error={create.error} />
      <form className="form" onSubmit={submit}>
        <Field
          label={t('partners.field.code')}
          value={form.code}
          onChange={(e) => setForm({ ...form, code: e.target.value })}
          pattern="[A-Za-z0-9][A-Za-z0-9_\-]{1,31}"
          maxLength={32}
          required
          autoFocus
          spellCheck={false}
          hint={t('partners.create.codeHint')}
          data-testid="partner-code"
        />
        <Field
          label={t('partners.field.name')}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          maxLength={100}
          required
          data-testid="partner-name"
        />
        <BranchSelect value={form.defaultBranchId} onChange={(defaultBranchId) => setForm({ ...form, defaultBranchId })} />
        <p className="field-hint">{t('partners.create.branchHint')}</p>
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={create.isPending || !form.defaultBranchId}
            data-testid="partner-create-submit"
          >
            {t('partners.create.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Edits a partner with If-Match, and issues or revokes its keys. */
function EditPartnerDialog({ partnerId, onClose }: { partnerId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<{ name: string; defaultBranchId: string } | null>(null);
  const [issued, setIssued] = useState<PartnerKeySecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const record = useQuery({
    queryKey: ['partners', 'one', partnerId],
    queryFn: () => request<Partner>('GET', partnerPath(partnerId)),
    staleTime: 0,
  });
  const partner = record.data?.data;
  const etag = record.data?.etag ?? null;
  useEffect(() => {
    if (partner) setForm({ name: partner.name, defaultBranchId: partner.defaultBranchId });
  }, [partner]);

  const after = async () => {
    await queryClient.invalidateQueries({ queryKey: ['partners'] });
  };
  const patch = useMutation({
    mutationFn: (body: UpdatePartnerInput) =>
      request<Partner>('PATCH', partnerPath(partnerId), { body, headers: etag ? { 'if-match': etag } : {} }),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setNotice(t('partners.edit.saved'));
      await after();
    },
  });
  const issue = useMutation({
    mutationFn: () => post<PartnerKeySecret>(`${partnerPath(partnerId)}/keys`),
    onMutate: () => setNotice(null),
    onSuccess: async (result) => {
      setIssued(result);
      await after();
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => post(`${partnerPath(partnerId)}/keys/${encodeURIComponent(keyId)}/revoke`),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setNotice(t('partners.key.revoked'));
      await after();
    },
  });
  const stale = patch.error instanceof ApiError && patch.error.code === 'PRECONDITION_FAILED';
  const pending = patch.isPending || issue.isPending || revoke.isPending;
  const changes: UpdatePartnerInput = {};
  if (partner && form) {
    if (form.name.trim() !== partner.name) changes.name = form.name.trim();
    if (form.defaultBranchId !== partner.defaultBranchId) changes.defaultBranchId = form.defaultBranchId;
  }

  return (
    <Dialog title={partner ? t('partners.edit.title', { name: partner.name }) : t('partners.edit.titleLoading')} onClose={onClose} wide>
      {record.isPending && <Loading />}
      <ErrorNotice error={record.error} />
      {stale ? (
        <ErrorNotice error={patch.error}>
          <p>{t('partners.edit.staleHint')}</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              patch.reset();
              void record.refetch();
            }}
          >
            {t('common.reload')}
          </button>
        </ErrorNotice>
      ) : (
        <ErrorNotice error={patch.error ?? issue.error ?? revoke.error} />
      )}
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      {issued && <KeySecret issued={issued} />}
      {partner && form && (
        <>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (Object.keys(changes).length > 0) patch.mutate(changes);
            }}
          >
            <div className="grid-2 tight">
              <Field
                label={t('partners.field.name')}
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                maxLength={100}
                required
              />
              <BranchSelect value={form.defaultBranchId} onChange={(defaultBranchId) => setForm({ ...form, defaultBranchId })} />
            </div>
            <div className="form-actions">
              {partner.status === 'active' ? (
                <ConfirmButton
                  label={t('partners.edit.disable')}
                  question={t('partners.edit.disableConfirm')}
                  onConfirm={() => patch.mutate({ status: 'disabled' })}
                  disabled={pending || stale}
                  danger
                />
              ) : (
                <ConfirmButton
                  label={t('partners.edit.enable')}
                  question={t('partners.edit.enableConfirm')}
                  onConfirm={() => patch.mutate({ status: 'active' })}
                  disabled={pending || stale}
                />
              )}
              <span className="spacer" />
              <button type="button" className="button button-ghost" onClick={onClose}>
                {t('common.close')}
              </button>
              <button type="submit" className="button button-primary" disabled={pending || stale || Object.keys(changes).length === 0}>
                {t('common.save')}
              </button>
            </div>
          </form>

          <section className="danger-zone" aria-labelledby="partner-keys">
            <div className="section-head">
              <h3 id="partner-keys">{t('partners.key.title')}</h3>
              <ConfirmButton
                label={t('partners.key.issue')}
                question={t('partners.key.issueConfirm')}
                onConfirm={() => issue.mutate()}
                disabled={pending || partner.status !== 'active'}
              />
            </div>
            {partner.keys.length === 0 ? (
              <Empty>{t('partners.key.none')}</Empty>
            ) : (
              <table className="table table-dense">
                <thead>
                  <tr>
                    <th scope="col">{t('partners.key.keyId')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">{t('partners.key.createdAt')}</th>
                    <th scope="col">{t('partners.key.lastUsedAt')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {partner.keys.map((k) => (
                    <tr key={k.keyId} className={k.status === 'revoked' ? 'row-muted' : undefined} data-testid="partner-key-row">
                      <td className="mono">{k.keyId}</td>
                      <td>
                        <span className={k.status === 'active' ? 'badge badge-active' : 'badge badge-disabled'}>
                          {t(`partners.key.status.${k.status}`)}
                        </span>
                      </td>
                      <td className="nowrap">{formatInstant(k.createdAt, i18n.language)}</td>
                      <td className="nowrap">{k.lastUsedAt ? formatInstant(k.lastUsedAt, i18n.language) : t('common.none')}</td>
                      <td className="num">
                        {k.status === 'active' && (
                          <ConfirmButton
                            label={t('partners.key.revoke')}
                            question={t('partners.key.revokeConfirm')}
                            onConfirm={() => revoke.mutate(k.keyId)}
                            disabled={pending}
                            danger
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </Dialog>
  );
}

/** Partner hospitals (P2.2.2): register them, keep their details, issue and revoke API keys. */
export function PartnersPage() {
  const { t, i18n } = useTranslation();
  const branchName = useBranchName();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const list = useQuery({
    queryKey: ['partners', 'list', cursor],
    queryFn: () => get<PartnerList>(`/api/v1/admin/partners${query({ limit: 50, cursor })}`),
  });
  const nextCursor = list.data?.nextCursor;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('partners.title')}</h1>
          <p className="page-sub">{t('partners.intro')}</p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setCreating(true)} data-testid="partner-create">
          {t('partners.create.open')}
        </button>
      </header>
      <section className="card card-flush">
        {list.isPending && <Loading />}
        <ErrorNotice error={list.error} />
        {list.data && list.data.items.length === 0 && <Empty>{t('partners.none')}</Empty>}
        {list.data && list.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('partners.field.code')}</th>
                  <th scope="col">{t('partners.field.name')}</th>
                  <th scope="col">{t('partners.field.branch')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('partners.field.activeKeys')}</th>
                  <th scope="col">{t('staff.field.updatedAt')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => (
                  <tr key={p.id} data-testid="partner-row" className={p.status === 'disabled' ? 'row-muted' : undefined}>
                    <td className="mono">{p.code}</td>
                    <td>{p.name}</td>
                    <td>{branchName(p.defaultBranchId)}</td>
                    <td>
                      <span className={`badge badge-${p.status}`}>{t(`partners.status.${p.status}`)}</span>
                    </td>
                    <td className="num">{p.keys.filter((k) => k.status === 'active').length}</td>
                    <td className="nowrap">{formatInstant(p.updatedAt, i18n.language)}</td>
                    <td className="num">
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setEditing(p.id)}
                        aria-label={t('partners.edit.open', { name: p.name })}
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
      {creating && <CreatePartnerDialog onClose={() => setCreating(false)} />}
      {editing && <EditPartnerDialog partnerId={editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
