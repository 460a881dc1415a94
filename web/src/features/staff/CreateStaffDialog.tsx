import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { CreateStaffInput, CreateStaffResult, Role } from '../../api/types';
import { MIN_PASSWORD_LENGTH } from '../../auth/ChangePasswordPage';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SecretOnce } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { BranchSelect, RolePicker } from './StaffFields';

/** Creates a staff account; the temporary password, when the server makes one, is shown once here. */
export function CreateStaffDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [branchId, setBranchId] = useState('');
  const [roles, setRoles] = useState<Role[]>(['staff']);
  const [password, setPassword] = useState('');
  // One key per dialog: a retried or double-clicked create returns the first answer (API.md).
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const create = useMutation({
    mutationFn: (body: CreateStaffInput) => post<CreateStaffResult>('/api/v1/admin/staff', body, { 'idempotency-key': idempotencyKey }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff'] }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      username: username.trim().toLowerCase(),
      displayName: displayName.trim(),
      branchId,
      roles,
      ...(password ? { password } : {}),
    });
  };

  if (create.data) {
    const { staff, temporaryPassword, pendingRoleRequest } = create.data;
    return (
      <Dialog title={t('staff.create.doneTitle')} onClose={onClose}>
        <p>{t('staff.create.done', { username: staff.username, name: staff.displayName })}</p>
        {pendingRoleRequest && (
          <p className="notice" data-testid="staff-roles-pending">
            {t('staff.roleRequest.pending', { roles: pendingRoleRequest.roles.map((r) => t(`roles.${r}`)).join('、') })}
          </p>
        )}
        {temporaryPassword && (
          <SecretOnce label={t('staff.temporaryPassword.label')} value={temporaryPassword} hint={t('staff.temporaryPassword.hint')} />
        )}
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={onClose}>
            {t('common.done')}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('staff.create.title')} onClose={onClose} wide>
      <form className="form" onSubmit={submit}>
        <ErrorNotice error={create.error} />
        <div className="grid-2 tight">
          <Field
            label={t('staff.field.username')}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            hint={t('staff.create.usernameHint')}
            pattern="[a-z0-9][a-z0-9._\-]{1,62}"
            autoComplete="off"
            spellCheck={false}
            required
            data-testid="staff-username"
          />
          <Field
            label={t('staff.field.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            maxLength={100}
            required
            data-testid="staff-display-name"
          />
          <BranchSelect value={branchId} onChange={setBranchId} />
          <Field
            label={t('staff.field.initialPassword')}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            minLength={MIN_PASSWORD_LENGTH}
            autoComplete="new-password"
            hint={t('staff.create.passwordHint', { min: MIN_PASSWORD_LENGTH })}
          />
        </div>
        <RolePicker value={roles} onChange={setRoles} />
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={create.isPending || roles.length === 0}
            data-testid="staff-create-submit"
          >
            {t('staff.create.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
