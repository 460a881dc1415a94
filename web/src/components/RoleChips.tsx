import { useTranslation } from 'react-i18next';
import type { Role } from '../api/types';

/** The roles of a staff member as small labels, in the interface language. */
export function RoleChips({ roles }: { roles: readonly Role[] }) {
  const { t } = useTranslation();
  return (
    <span className="chips">
      {roles.map((r) => (
        <span key={r} className="chip">
          {t(`roles.${r}`)}
        </span>
      ))}
    </span>
  );
}
