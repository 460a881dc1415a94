import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post, request } from '../../api/client';
import type { PasswordReset, Role, Staff, UpdatedStaff, UpdateStaffInput } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading, SecretOnce } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { BranchSelect, RolePicker } from './StaffFields';

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}

/** What the form changes against the record as read; empty when nothing changed. */
function changes(record: Staff, form: { displayName: string; branchId: string; roles: Role[] }): UpdateStaffInput {
  const out: UpdateStaffInput = {};
  if (form.displayName.trim() !== record.displayName) out.displayName = form.displayName.trim();
  if (form.branchId !== record.branchId) out.branchId = form.branchId;
  if (!sameRoles(form.roles, record.roles)) out.roles = form.roles;
  return out;
}

/**
 * Edits one staff account. Every change carries the ETag read with the record (If-Match), so an
 * edit made meanwhile by another administrator is never overwritten: a 412 asks to reload.
 */
export function EditStaffDialog({ staffId, onClose }: { staffId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<{ displayName: string; branchId: string; roles: Role[] } | null>(null);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const record = useQuery({
    queryKey: ['staff', 'one', staffId],
    queryFn: () => request<Staff>('GET', `/api/v1/admin/staff/${encodeURIComponent(staffId)}`),
    staleTime: 0,
  });
  const staff = record.data?.data;
  const etag = record.data?.etag ?? null;

  useEffect(() => {
    if (staff) setForm({ displayName: staff.displayName, branchId: staff.branchId, roles: [...staff.roles] });
  }, [staff]);

  const afterChange = async () => {
    await queryClient.invalidateQueries({ queryKey: ['staff'] });
  };

  const patch = useMutation({
    mutationFn: (body: UpdateStaffInput) =>
      request<UpdatedStaff>('PATCH', `/api/v1/admin/staff/${encodeURIComponent(staffId)}`, {
        body,
        headers: etag ? { 'if-match': etag } : {},
      }),
    onMutate: () => setNotice(null),
    onSuccess: async (result) => {
      const asked = result.data.pendingRoleRequest;
      setNotice(
        asked
          ? `${t('staff.edit.saved')} ${t('staff.roleRequest.pending', { roles: asked.roles.map((r) => t(`roles.${r}`)).join('、') })}`
          : t('staff.edit.saved'),
      );
      await afterChange();
    },
  });
  const resetPassword = useMutation({
    mutationFn: () => post<PasswordReset>(`/api/v1/admin/staff/${encodeURIComponent(staffId)}/password-reset`),
    onMutate: () => setNotice(null),
    onSuccess: async (result) => {
      setTemporaryPassword(result.temporaryPassword);
      await afterChange();
    },
  });
  const resetMfa = useMutation({
    mutationFn: () => post<Staff>(`/api/v1/admin/staff/${encodeURIComponent(staffId)}/mfa-reset`),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setNotice(t('staff.edit.mfaResetDone'));
      await afterChange();
    },
  });

  const stale = patch.error instanceof ApiError && patch.error.code === 'PRECONDITION_FAILED';
  const reload = () => {
    patch.reset();
    setNotice(null);
    void record.refetch();
  };

  const pending = patch.isPending || resetPassword.isPending || resetMfa.isPending;
  const diff = staff && form ? changes(staff, form) : {};
  const isSelf = staff?.id === user.id;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    if (Object.keys(diff).length > 0) patch.mutate(diff);
  };

  return (
    <Dialog title={staff ? t('staff.edit.title', { username: staff.username }) : t('staff.edit.titleLoading')} onClose={onClose} wide>
      {record.isPending && <Loading />}
      <ErrorNotice error={record.error} />
      {stale ? (
        <ErrorNotice error={patch.error}>
          <p>{t('staff.edit.staleHint')}</p>
          <button type="button" className="button" onClick={reload}>
            {t('common.reload')}
          </button>
        </ErrorNotice>
      ) : (
        <ErrorNotice error={patch.error ?? resetPassword.error ?? resetMfa.error} />
      )}
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      {temporaryPassword && (
        <SecretOnce label={t('staff.temporaryPassword.label')} value={temporaryPassword} hint={t('staff.temporaryPassword.hint')} />
      )}
      {staff && form && (
        <form className="form" onSubmit={submit}>
          <dl className="facts facts-4 compact">
            <div>
              <dt>{t('staff.field.status')}</dt>
              <dd>
                <span className={`badge badge-${staff.status}`}>{t(`staff.status.${staff.status}`)}</span>
              </dd>
            </div>
            <div>
              <dt>{t('staff.field.mfa')}</dt>
              <dd>{staff.mfaEnrolled ? t('staff.mfa.enrolled') : t('staff.mfa.notEnrolled')}</dd>
            </div>
            <div>
              <dt>{t('staff.field.mustChangePassword')}</dt>
              <dd>{staff.mustChangePassword ? t('common.yes') : t('common.no')}</dd>
            </div>
            <div>
              <dt>{t('staff.field.version')}</dt>
              <dd className="mono">{staff.version}</dd>
            </div>
          </dl>
          <div className="grid-2 tight">
            <Field
              label={t('staff.field.displayName')}
              value={form.displayName}
              onChange={(e) => setForm({ ...form, displayName: e.target.value })}
              maxLength={100}
              required
            />
            <BranchSelect value={form.branchId} onChange={(branchId) => setForm({ ...form, branchId })} disabled={isSelf} />
          </div>
          <RolePicker value={form.roles} onChange={(roles) => setForm({ ...form, roles })} disabled={isSelf} />
          {isSelf && <p className="muted">{t('staff.selfLocked')}</p>}
          <div className="form-actions">
            <button type="button" className="button button-ghost" onClick={onClose}>
              {t('common.close')}
            </button>
            <button
              type="submit"
              className="button button-primary"
              disabled={pending || stale || Object.keys(diff).length === 0 || form.roles.length === 0}
              data-testid="staff-save"
            >
              {t('common.save')}
            </button>
          </div>
          <section className="danger-zone" aria-labelledby="staff-account-actions">
            <h3 id="staff-account-actions">{t('staff.edit.accountActions')}</h3>
            <div className="action-row">
              <ConfirmButton
                label={t('staff.edit.resetPassword')}
                question={t('staff.edit.resetPasswordConfirm')}
                onConfirm={() => resetPassword.mutate()}
                disabled={pending}
              />
              <ConfirmButton
                label={t('staff.edit.resetMfa')}
                question={t('staff.edit.resetMfaConfirm')}
                onConfirm={() => resetMfa.mutate()}
                disabled={pending || !staff.mfaEnrolled}
              />
              {staff.status === 'active' ? (
                <ConfirmButton
                  label={t('staff.edit.disable')}
                  question={t('staff.edit.disableConfirm')}
                  onConfirm={() => patch.mutate({ status: 'disabled' })}
                  disabled={pending || stale || isSelf}
                  danger
                />
              ) : (
                <ConfirmButton
                  label={t('staff.edit.enable')}
                  question={t('staff.edit.enableConfirm')}
                  onConfirm={() => patch.mutate({ status: 'active' })}
                  disabled={pending || stale}
                />
              )}
            </div>
          </section>
        </form>
      )}
    </Dialog>
  );
}
