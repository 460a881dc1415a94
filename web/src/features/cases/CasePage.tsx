import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { post, request } from '../../api/client';
import type { Money } from '../../api/types';
import { hasPermission, readsLeadsOfCases } from '../../app/access';
import { useBranchName } from '../../app/branches';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatInstant, formatMoney } from '../../i18n/format';
import { CaseAlerts } from '../alerts/CaseAlerts';
import { CaseDiscussion } from '../communication/CaseDiscussion';
import { ColleagueSelect } from '../leads/Colleagues';
import { CaseAccessNotice } from '../teams/CaseAccessNotice';
import { TeamPanel } from '../teams/TeamPanel';
import { CaseWorkPanel } from '../work/CaseWorkPanel';
import {
  CaseStatusBadge,
  SeverityBadge,
  UpdateStateBadge,
  useCaseContext,
  useConsentLine,
  useConsentTitle,
  useFieldLabel,
} from './CaseBits';
import { AddConsentDialog, CloseCaseDialog, EditCaseDialog, WithdrawConsentDialog } from './CaseDialogs';
import { useConditionName } from './conditions';
import { useCase } from './useCase';

function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
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

type Dialogs = 'edit' | 'consent' | 'close' | { withdraw: string } | null;

/** The case file (P5.2–P5.3): basic, condition, finances, consent, history; sensitive sections by need-to-know. */
export function CasePage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const queryClient = useQueryClient();
  const branchName = useBranchName();
  const conditionName = useConditionName();
  const fieldLabel = useFieldLabel();
  const consentLine = useConsentLine();
  const reasonId = useId();
  const reviewNoteId = useId();
  const [reason, setReason] = useState<string | null>(null);
  const [reasonDraft, setReasonDraft] = useState('');
  const [dialog, setDialog] = useState<Dialogs>(null);
  const [maintainer, setMaintainer] = useState('');
  const [reviewNote, setReviewNote] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const detail = useCase(id, reason);
  const record = detail.data?.data;
  const etag = detail.data?.etag ?? null;
  const context = useCaseContext(record);
  const consentTitle = useConsentTitle(context.partnerName);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['case', id] });
    await queryClient.invalidateQueries({ queryKey: ['cases'] });
  };
  const review = useMutation({
    mutationFn: () => post(`/api/v1/cases/${encodeURIComponent(id)}/review`, reviewNote.trim() ? { note: reviewNote.trim() } : {}),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setReviewNote('');
      setNotice(t('cases.review.done'));
      await refresh();
    },
  });
  const changeMaintainer = useMutation({
    mutationFn: () => request('PUT', `/api/v1/cases/${encodeURIComponent(id)}/maintainer`, { body: { staffId: maintainer } }),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setMaintainer('');
      setNotice(t('cases.maintainer.done'));
      await refresh();
    },
  });

  if (detail.isPending) return <Loading />;
  if (!record) {
    return (
      <div className="page">
        <ErrorNotice error={detail.error} />
        <Link to="/cases">{t('cases.backToList')}</Link>
      </div>
    );
  }

  const b = record.basic;
  const purged = record.purge !== null;
  const active = record.status === 'active';
  const visible = record.sensitiveVisible;
  const canUpdate = active && visible && hasPermission(user.roles, 'case.update');
  const supervisor = hasPermission(user.roles, 'case.register');
  const inspector = hasPermission(user.roles, 'audit.read') && !hasPermission(user.roles, 'case.update');
  const money = (m: Money | null | undefined) => (m ? formatMoney(m, locale) : t('common.none'));
  const submitReason = (e: FormEvent) => {
    e.preventDefault();
    if (reasonDraft.trim().length >= 5) setReason(reasonDraft.trim());
  };
  const referringPartner =
    b.partnerId && context.partnerName(b.partnerId) ? { id: b.partnerId, name: context.partnerName(b.partnerId) ?? '' } : null;
  const master = context.customer;

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <Link to="/cases">{t('nav.cases')}</Link>
        <span aria-hidden="true">/</span>
        <span>{record.caseNumber}</span>
      </nav>

      <section className="card">
        <div className="title-row">
          <h1 data-testid="case-title">{b.customer.name}</h1>
          <span className="chip chip-strong mono" data-testid="case-number">
            {record.caseNumber}
          </span>
          <CaseStatusBadge status={record.status} />
          <SeverityBadge severity={b.severity} />
          {record.consentWithdrawn && (
            <span className="badge badge-overdue" data-testid="case-consent-flag">
              {t('cases.consentWithdrawn')}
            </span>
          )}
          <span className="title-actions">
            <Link to={`/cases/${encodeURIComponent(record.id)}/print`} className="button" data-testid="case-print">
              {t('cases.print.open')}
            </Link>
            {canUpdate && (
              <button type="button" className="button button-primary" onClick={() => setDialog('edit')} data-testid="case-edit">
                {t('common.edit')}
              </button>
            )}
            {active && supervisor && (
              <button type="button" className="button button-danger-outline" onClick={() => setDialog('close')} data-testid="case-close">
                {t('cases.close.open')}
              </button>
            )}
          </span>
        </div>
        {notice && (
          <p className="notice notice-success" role="status">
            {notice}
          </p>
        )}
        <ErrorNotice error={review.error ?? changeMaintainer.error} />
        <dl className="facts facts-4">
          <Fact label={t('customers.field.customerNumber')}>
            {hasPermission(user.roles, 'customer.read') ? (
              <Link className="mono" to={`/customers/${encodeURIComponent(b.customer.id)}`}>
                {b.customer.customerNumber}
              </Link>
            ) : (
              <span className="mono">{b.customer.customerNumber}</span>
            )}
          </Fact>
          <Fact label={t('customers.field.branch')}>{branchName(b.branch.code)}</Fact>
          <Fact label={t('cases.field.discoveryChannel')}>
            {t(`leads.channel.${b.channel}`, { defaultValue: b.channel })}
            {referringPartner && <span className="muted">{referringPartner.name}</span>}
            {readsLeadsOfCases(user.roles) && <Link to={`/leads/${encodeURIComponent(b.leadId)}`}>{t('cases.openLead')}</Link>}
          </Fact>
          <Fact label={t('cases.field.registeredAt')}>{formatInstant(b.registeredAt, locale)}</Fact>
          <Fact label={t('cases.field.maintainer')}>{b.maintainer?.displayName ?? t('common.none')}</Fact>
          <Fact label={t('cases.field.reviewOn')}>
            <span className="mono">{b.reviewOn}</span>
          </Fact>
          <Fact label={t('cases.field.nextUpdateDue')}>
            <span className="mono">{b.nextUpdateDue}</span>
            <UpdateStateBadge state={record.updateState} />
          </Fact>
          <Fact label={t('cases.field.mobilityImpaired')}>{b.mobilityImpaired ? t('common.yes') : t('common.no')}</Fact>
          {b.closedAt && (
            <Fact label={t('cases.field.closed')} wide>
              {b.closeReason ? t(`cases.closeReason.${b.closeReason}`) : t('common.none')} · {formatInstant(b.closedAt, locale)}
              {record.closing?.note && <span className="muted">{record.closing.note}</span>}
            </Fact>
          )}
        </dl>
      </section>

      <CaseAccessNotice
        caseId={record.id}
        restricted={record.restricted}
        canBreakGlass={active && hasPermission(user.roles, 'breakglass.request')}
      />

      {!visible && inspector && reason === null && (
        <form className="notice notice-info reason-form" onSubmit={submitReason}>
          <p>{t('cases.inspectorReason.intro')}</p>
          <label htmlFor={reasonId}>{t('cases.inspectorReason.label')}</label>
          <div className="toolbar-form">
            <input
              id={reasonId}
              value={reasonDraft}
              onChange={(e) => setReasonDraft(e.target.value)}
              minLength={5}
              maxLength={500}
              required
            />
            <button type="submit" className="button" disabled={reasonDraft.trim().length < 5}>
              {t('cases.inspectorReason.submit')}
            </button>
          </div>
        </form>
      )}

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

        <Section
          title={t('cases.section.consent')}
          testId="case-section-consent"
          action={
            canUpdate && (
              <button type="button" className="button button-small" onClick={() => setDialog('consent')} data-testid="consent-add">
                {t('consent.add.open')}
              </button>
            )
          }
        >
          {record.consent.records.length === 0 ? (
            <Empty>{t('consent.none')}</Empty>
          ) : (
            <ul className="consent-list">
              {record.consent.records.map((c) => (
                <li key={c.id} className={c.status === 'withdrawn' ? 'consent consent-withdrawn' : 'consent'} data-testid="consent-item">
                  <div className="consent-head">
                    <strong>{consentTitle(c)}</strong>
                    {c.status === 'withdrawn' ? (
                      <span className="badge badge-overdue">
                        {t('consent.withdrawnAt', { at: c.withdrawnAt ? formatInstant(c.withdrawnAt, locale) : t('common.none') })}
                      </span>
                    ) : (
                      <span className="badge badge-active">{t('consent.inForce')}</span>
                    )}
                    {c.status === 'active' && canUpdate && c.kind !== 'legal_basis' && (
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => setDialog({ withdraw: c.id })}
                        data-testid="consent-withdraw"
                      >
                        {t('consent.withdraw.open')}
                      </button>
                    )}
                  </div>
                  <p className="muted">{consentLine(c)}</p>
                  {c.scope && <p className="consent-scope">{t('consent.scopeLine', { scope: c.scope })}</p>}
                  <p className="field-hint">
                    {t('consent.recordedBy', {
                      who: c.recordedBy.displayName ?? t('leads.system'),
                      at: formatInstant(c.recordedAt, locale),
                      source: t(`consent.source.${c.source}`),
                    })}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>

      {active && (canUpdate || supervisor) && (
        <div className="grid-2">
          {canUpdate && (
            <section className="card" aria-labelledby="case-review">
              <h2 id="case-review">{t('cases.review.title')}</h2>
              <p className="field-hint">{t('cases.review.intro', { date: b.nextUpdateDue })}</p>
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
            </section>
          )}
          {supervisor && (
            <section className="card" aria-labelledby="case-maintainer">
              <h2 id="case-maintainer">{t('cases.maintainer.title')}</h2>
              <p className="field-hint">{t('cases.maintainer.intro')}</p>
              <ColleagueSelect label={t('cases.maintainer.new')} value={maintainer} onChange={setMaintainer} excludeId={b.maintainer?.id} />
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
            </section>
          )}
        </div>
      )}

      {/* The thread is the team's (P9.1): an inspector's stated reason opens the file, not the discussion. */}
      {visible && !inspector && hasPermission(user.roles, 'communication.use') && <CaseDiscussion caseId={record.id} />}

      <CaseWorkPanel caseId={record.id} active={record.status === 'active'} reason={reason} />

      <TeamPanel caseId={record.id} canAssign={active && supervisor} />

      {hasPermission(user.roles, 'alert.read') && <CaseAlerts caseId={record.id} />}

      <section className="card card-flush" aria-labelledby="case-history" data-testid="case-section-history">
        <h2 id="case-history" className="card-title">
          {t('cases.section.history')}
          <span className="count">{t('common.count', { count: record.history.length })}</span>
        </h2>
        {record.history.length === 0 ? (
          <Empty>{t('cases.noHistory')}</Empty>
        ) : (
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">{t('cases.field.version')}</th>
                <th scope="col">{t('audit.field.occurredAt')}</th>
                <th scope="col">{t('audit.field.actor')}</th>
                <th scope="col">{t('audit.field.action')}</th>
                <th scope="col">{t('cases.field.changedFields')}</th>
              </tr>
            </thead>
            <tbody>
              {record.history.map((h) => (
                <tr key={h.version}>
                  <td className="mono">{h.version}</td>
                  <td className="nowrap">{formatInstant(h.at, locale)}</td>
                  <td>{h.by?.displayName ?? t('leads.system')}</td>
                  <td>{t(`cases.action.${h.action}`, { defaultValue: h.action })}</td>
                  <td className="history-detail">{h.fields.map(fieldLabel).join('、')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {dialog === 'edit' && (
        <EditCaseDialog record={record} etag={etag} onClose={() => setDialog(null)} onReload={() => void detail.refetch()} />
      )}
      {dialog === 'consent' && <AddConsentDialog caseId={record.id} partner={referringPartner} onClose={() => setDialog(null)} />}
      {dialog === 'close' && <CloseCaseDialog caseId={record.id} onClose={() => setDialog(null)} />}
      {dialog !== null && typeof dialog === 'object' && (
        <WithdrawConsentDialog caseId={record.id} consentId={dialog.withdraw} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}
