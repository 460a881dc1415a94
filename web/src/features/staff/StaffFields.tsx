import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../api/types';
import { ROLES } from '../../app/access';
import { useBranches } from '../../app/branches';

/** The roles of a staff member as a group of checkboxes. */
export function RolePicker({
  value,
  onChange,
  disabled = false,
}: {
  value: readonly Role[];
  onChange: (roles: Role[]) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const toggle = (role: Role, on: boolean) => onChange(ROLES.filter((r) => (r === role ? on : value.includes(r))));
  return (
    <fieldset className="field role-picker" disabled={disabled}>
      <legend>{t('staff.field.roles')}</legend>
      <div className="checkbox-grid">
        {ROLES.map((role) => (
          <label key={role} className="checkbox">
            <input type="checkbox" checked={value.includes(role)} onChange={(e) => toggle(role, e.target.checked)} />
            <span>{t(`roles.${role}`)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The branch of a staff member, named in the interface language. */
export function BranchSelect({
  value,
  onChange,
  disabled = false,
}: {
  value: string;
  onChange: (branchId: string) => void;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const branches = useBranches();
  const english = i18n.language.startsWith('en');
  return (
    <div className="field">
      <label htmlFor={id}>{t('staff.field.branch')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required disabled={disabled}>
        <option value="" disabled>
          {t('staff.choose')}
        </option>
        {branches.data?.items.map((b) => (
          <option key={b.id} value={b.id}>
            {english ? b.nameEn : b.nameZh}
          </option>
        ))}
      </select>
    </div>
  );
}
