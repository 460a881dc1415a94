import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

function ErrorPage({ title, body }: { title: string; body: string }) {
  const { t } = useTranslation();
  return (
    <section className="card error-page">
      <h1>{title}</h1>
      <p>{body}</p>
      <Link to="/" className="button button-primary">
        {t('notFound.backHome')}
      </Link>
    </section>
  );
}

/** Shown for a path the app does not know. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return <ErrorPage title={t('notFound.title')} body={t('notFound.body')} />;
}

/** Shown when the user's roles do not open this page. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  return <ErrorPage title={t('forbidden.title')} body={t('forbidden.body')} />;
}
