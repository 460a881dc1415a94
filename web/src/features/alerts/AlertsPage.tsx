import { useTranslation } from 'react-i18next';

/** Placeholder until the page is written (issue 5). */
export function AlertsPage() {
  const { t } = useTranslation();
  return <h1>{t('nav.alerts')}</h1>;
}
