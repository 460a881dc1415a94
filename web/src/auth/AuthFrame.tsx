import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch';

/** The centred card of the sign-in steps, with the product name and the language switch. */
export function AuthFrame({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <main className="auth-screen">
      <div className="auth-language">
        <LanguageSwitch />
      </div>
      <section className="auth-card" aria-labelledby="auth-title">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>
            <span className="auth-brand-name">{t('app.name')}</span>
            <span className="auth-brand-sub">{t('app.subtitle')}</span>
          </span>
        </div>
        <h1 id="auth-title">{title}</h1>
        {intro && <p className="auth-intro">{intro}</p>}
        {children}
      </section>
      <p className="auth-foot">{t('auth.footer')}</p>
    </main>
  );
}
