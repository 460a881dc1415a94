import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { post, request } from '../../api/client';
import type { CaseView, CustomerDetail, Money } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatMoney } from '../../i18n/format';
import { CaseAlerts } from '../alerts/CaseAlerts';
import { ColleagueSelect } from '../leads/Colleagues';
import { useTeam } from '../teams/teamsApi';
import { caseLink, useRefreshCase } from './caseLinks';
import { useConditionName } from './conditions';

/** One labelled fact of a definition list. */
export function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'span-2' : undefined}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** What a reader not entitled to a section sees: why it is not shown, calmly. */
function Restricted({ purged = false }: { purged?: boolean }) {
  const { t } = useTranslation();
  return (
    <p className="restricted" data-testid="section-restricted">
      {purged ? t('cases.purgedSection') : t('cases.restricted')}
    </p>
  );
}

function Section({ title, children, action, testId }: { title: string; children: ReactNode; action?: ReactNode; testId: string }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {action}
      </div>
      {children}
    </section>
  );
}

/** The periodic review (P5.3.1) and the file's maintainer, for those who keep the file up to date. */
function Upkeep({ record, canUpdate, supervisor }: { record: CaseView; canUpdate: boolean; supervisor: boolean }) {
  const { t } = useTranslation();
  const refresh = useRefreshCase(record.id);
  const reviewNoteId = useId();
  const [reviewNote, setReviewNote] = useState('');
  const [maintainer, setMaintainer] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const path = `/api/v1/cases/${encodeURIComponent(record.id)}`;
  const review = useMutation({
    mutationFn: () => post(`${path}/review`, reviewNote.trim() ? { note: reviewNote.trim() } : {}),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setReviewNote('');
      setNotice(t('cases.review.done'));
      await refresh();
    },
  });
  const changeMaintainer = useMutation({
    mutationFn: () => request('PUT', `${path}/maintainer`, { body: { staffId: maintainer } }),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setMaintainer('');
      setNotice(t('cases.maintainer.done'));
      await refresh();
    },
  });
  return (
    <section className="card" aria-labelledby="case-upkeep" data-testid="case-section-upkeep">
      <h2 id="case-upkeep">{t('cases.section.assessment')}</h2>
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      <ErrorNotice error={review.error ?? changeMaintainer.error} />
      {canUpdate && (
        <>
          <h3>{t('cases.review.title')}</h3>
          <p className="field-hint">{t('cases.review.intro', { date: record.basic.nextUpdateDue })}</p>
          <div className="field">
            <label htmlFor={reviewNoteId}>{t('cases.review.note')}</label>
            <textarea id={reviewNoteId} rows={2} value={reviewNote} onChange={(e) => setReviewNote(e.target.value)} maxLength={4000} />
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => review.mutate()}
              disabled={review.isPending}
              data-testid="case-review"
            >
              {t('cases.review.submit')}
            </button>
          </div>
        </>
      )}
      {supervisor && (
        <>
          <h3>{t('cases.maintainer.title')}</h3>
          <p className="field-hint">{t('cases.maintainer.intro')}</p>
          <ColleagueSelect
            label={t('cases.maintainer.new')}
            value={maintainer}
            onChange={setMaintainer}
            excludeId={record.basic.maintainer?.id}
          />
          <div className="form-actions">
            <button
              type="button"
              className="button"
              disabled={!maintainer || changeMaintainer.isPending}
              onClick={() => changeMaintainer.mutate()}
            >
              {t('cases.maintainer.submit')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** A supervisor's prompt to staff a case that has no team yet (P3.1). */
function TeamMissing({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const team = useTeam(caseId);
  if (!team.data || team.data.members.length > 0) return null;
  return (
    <div className="notice notice-info section-head" data-testid="case-team-missing">
      <p>{t('cases.tabs.teamMissing')}</p>
      <Link to={caseLink(caseId, 'team')} className="button button-primary button-small">
        {t('cases.tabs.assignTeam')}
      </Link>
    </div>
  );
}

/** The overview tab: alerts, the basic, condition and financial sections, and the file's upkeep. */
export function CaseOverview({ record, master }: { record: CaseView; master: CustomerDetail['customer'] | undefined }) {
  const { t, i18n } = useTranslation();
  const { user } = useSignedIn();
  const conditionName = useConditionName();
  const b = record.basic;
  const purged = record.purge !== null;
  const active = record.status === 'active';
  const visible = record.sensitiveVisible;
  const canUpdate = active && visible && hasPermission(user.roles, 'case.update');
  const supervisor = hasPermission(user.roles, 'case.register');
  const money = (m: Money | null | undefined) => (m ? formatMoney(m, i18n.language) : t('common.none'));

  return (
    <>
      {active && hasPermission(user.roles, 'team.assign') && <TeamMissing caseId={record.id} />}
      {hasPermission(user.roles, 'alert.read') && <CaseAlerts caseId={record.id} />}
      <div className="grid-2">
        <Section title={t('cases.section.basic')} testId="case-section-basic">
          <dl className="facts">
            <Fact label={t('customers.field.name')}>{b.corrections?.name ?? b.customer.name}</Fact>
            <Fact label={t('customers.field.customerNumber')}>
              <span className="mono">{b.customer.customerNumber}</span>
            </Fact>
            {master && (
              <>
                <Fact label={t('customers.field.gender')}>{t(`gender.${master.gender}`)}</Fact>
                <Fact label={t('customers.field.dateOfBirth')}>
                  <span className="mono">{master.dateOfBirth ?? t('common.none')}</span>
                </Fact>
              </>
            )}
            {visible ? (
              <>
                <Fact label={t('customers.field.phone')}>
                  <span className="mono">{b.corrections?.phone ?? master?.phoneMasked ?? t('common.none')}</span>
                  {b.corrections?.phone && <span className="badge">{t('cases.corrected')}</span>}
                </Fact>
                <Fact label={t('customers.field.address')} wide>
                  {b.corrections?.address ?? master?.addressMasked ?? t('common.none')}
                  {b.corrections?.address && <span className="badge">{t('cases.corrected')}</span>}
                </Fact>
              </>
            ) : null}
          </dl>
          {!visible && <Restricted purged={purged} />}
        </Section>

        <Section title={t('cases.section.condition')} testId="case-section-condition">
          {record.condition ? (
            <dl className="facts">
              <Fact label={t('cases.field.category')} wide>
                <strong data-testid="case-category-name">{conditionName(record.condition.category)}</strong>
              </Fact>
              <Fact label={t('cases.field.diagnosedOn')}>
                <span className="mono">{record.condition.diagnosedOn ?? t('common.none')}</span>
              </Fact>
              <Fact label={t('cases.field.hospital')}>{record.condition.hospital ?? t('common.none')}</Fact>
              <Fact label={t('cases.field.description')} wide>
                <span className="prose">{record.condition.description}</span>
              </Fact>
            </dl>
          ) : (
            <Restricted purged={purged} />
          )}
        </Section>
      </div>

      <div className="grid-2">
        <Section title={t('cases.section.finances')} testId="case-section-finances">
          {record.finances ? (
            <dl className="facts">
              <Fact label={t('cases.field.lostIncome')}>{money(record.finances.lostIncome)}</Fact>
              <Fact label={t('cases.field.expectedMedicalCosts')}>{money(record.finances.expectedMedicalCosts)}</Fact>
              <Fact label={t('cases.field.debts')}>{money(record.finances.debts)}</Fact>
              <Fact label={t('cases.field.financeNotes')} wide>
                {record.finances.notes ?? t('common.none')}
              </Fact>
            </dl>
          ) : (
            <Restricted purged={purged} />
          )}
        </Section>
        {active && (canUpdate || supervisor) && <Upkeep record={record} canUpdate={canUpdate} supervisor={supervisor} />}
      </div>
    </>
  );
}
