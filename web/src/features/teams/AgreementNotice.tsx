import { useTranslation } from 'react-i18next';
import { useMyAgreement } from './teamsApi';

/** Says plainly, on pages with sensitive data, that none is shown because no agreement is on file (P5.4.2). */
export function AgreementNotice() {
  const { t } = useTranslation();
  const mine = useMyAgreement();
  if (mine.data?.valid !== false) return null;
  return (
    <div className="notice notice-error" role="status" data-testid="agreement-missing">
      {t('access.noAgreement')}
    </div>
  );
}
