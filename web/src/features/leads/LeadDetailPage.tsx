import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { get, post, query } from '../../api/client';
import type { LeadSummary, LeadView, Page } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useBranchName } from '../../app/branches';
import { useSignedIn } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { type DefinitionDraft, DefinitionFields, definitionBody, definitionReady, newDefinitionDraft } from './DefinitionFields';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { useConditionName } from '../cases/conditions';
import { ColleagueSelect } from './Colleagues';
import { LeadAnalysisCard } from './LeadAnalysisCard';
import { actorName, DueCell, LeadStatusBadge, MatchBadge, OPEN_LEAD_STATUSES, useHistoryDetail } from './LeadBits';

const DECISIONS = ['confirm', 'reject', 'duplicate'] as const;
type Decision = (typeof DECISIONS)[number];
const RECOMMENDATIONS = ['confirm', 'reject', 'unsure'] as const;

function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'span-2' : undefined}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Other leads of the branch that this one could duplicate or be merged into. */
function useOtherLeads(lead: LeadView | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['leads', 'inbox'],
    queryFn: () => get<Page<LeadSummary>>(`/api/v1/leads${query({ limit: 500 })}`),
    enabled: enabled && lead !== undefined,
    select: (page) => page.items.filter((l) => l.id !== lead?.id && !['rejected', 'duplicate'].includes(l.status)),
  });
}

function leadLabel(l: LeadSummary, unnamed: string): string {
  const who = l.customer ? `${l.customer.name} ${l.customer.customerNumber}` : (l.subjectName ?? unnamed);
  return `${who} · ${l.createdAt.slice(0, 10)}`;
}

/** The lead: who and what, its match, the check, the supervisor's decision, the history. */
export function LeadDetailPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const queryClient = useQueryClient();
  const conditionName = useConditionName();
  const branchName = useBranchName();
  const historyDetail = useHistoryDetail();
  const decisionId = useId();
  const reasonId = useId();
  const findingId = useId();
  const dupId = useId();
  const mergeId = useId();
  const noteId = useId();
  const recId = useId();

  const [decision, setDecision] = useState<Decision>('confirm');
  const [definition, setDefinition] = useState<DefinitionDraft | null>(null);
  const [reason, setReason] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [assignee, setAssignee] = useState('');
  const [assignNote, setAssignNote] = useState('');
  const [finding, setFinding] = useState('');
  const [recommendation, setRecommendation] = useState<(typeof RECOMMENDATIONS)[number]>('confirm');
  const [mergeInto, setMergeInto] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const path = `/api/v1/leads/${encodeURIComponent(id)}`;
  const detail = useQuery({ queryKey: ['lead', id], queryFn: () => get<LeadView>(path), staleTime: 0 });
  const lead = detail.data;
  const supervisor = hasPermission(user.roles, 'lead.verify');
  const open = lead ? OPEN_LEAD_STATUSES.includes(lead.status) : false;
  const others = useOtherLeads(lead, supervisor && open);

  const action = useMutation({
    mutationFn: ({ step, body }: { step: string; body: unknown }) => post<LeadView>(`${path}/${step}`, body),
    onMutate: () => setNotice(null),
    onSuccess: async (_data, { step }) => {
      setNotice(t(`leads.detail.done.${step}`));
      setReason('');
      setFinding('');
      setAssignNote('');
      await queryClient.invalidateQueries({ queryKey: ['lead', id] });
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
    },
  });

  if (detail.isPending) return <Loading />;
  if (!lead) {
    return (
      <div className="page">
        <ErrorNotice error={detail.error} />
        <Link to="/leads">{t('leads.detail.back')}</Link>
      </div>
    );
  }

  const isAssignee = lead.assignedTo?.id === user.id;
  const title = lead.customer?.name ?? lead.subjectName ?? t('leads.unnamed');
  const canRegister = lead.status === 'confirmed' && !lead.caseId && hasPermission(user.roles, 'case.register');
  const judged = definition ?? newDefinitionDraft(lead.condition?.category);
  const decide = (e: FormEvent) => {
    e.preventDefault();
    action.mutate({
      step: 'decision',
      body: {
        decision,
        reason: reason.trim(),
        ...(decision === 'duplicate' ? { duplicateOf } : {}),
        ...(decision === 'confirm' ? { definition: definitionBody(judged) } : {}),
      },
    });
  };
  const decisionReady =
    reason.trim() !== '' &&
    (decision !== 'duplicate' || duplicateOf !== '') &&
    (decision !== 'confirm' || (lead.customer && definitionReady(judged)));

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <Link to="/leads">{t('nav.leadInbox')}</Link>
        <span aria-hidden="true">/</span>
        <span>{title}</span>
      </nav>

      <section className="card">
        <div className="title-row">
          <h1 data-testid="lead-title">{title}</h1>
          <LeadStatusBadge status={lead.status} />
          {lead.overdue && <span className="badge badge-overdue">{t('leads.overdue')}</span>}
          <span className="title-actions">
            {canRegister && (
              <Link to={`/leads/${encodeURIComponent(lead.id)}/register`} className="button button-primary" data-testid="lead-register">
                {t('leads.detail.register')}
              </Link>
            )}
            {lead.caseId && (
              <Link to={`/cases/${encodeURIComponent(lead.caseId)}`} className="button" data-testid="lead-case-link">
                {t('leads.detail.openCase')}
              </Link>
            )}
          </span>
        </div>
        {notice && (
          <p className="notice notice-success" role="status">
            {notice}
          </p>
        )}
        <ErrorNotice error={action.error} />
        {lead.duplicateOf && (
          <p className="notice notice-info">
            {t('leads.detail.duplicateOf')}{' '}
            <Link to={`/leads/${encodeURIComponent(lead.duplicateOf)}`}>{t('leads.detail.openOriginal')}</Link>
          </p>
        )}
        {lead.linkedCaseId && (
          <p className="notice notice-info">
            {t('leads.detail.linkedCase')} <Link to={`/cases/${encodeURIComponent(lead.linkedCaseId)}`}>{t('leads.detail.openCase')}</Link>
          </p>
        )}
        <dl className="facts facts-4">
          <Fact label={t('leads.field.channel')}>{t(`leads.channel.${lead.channel}`)}</Fact>
          <Fact label={t('leads.field.sourceRefView')}>{lead.sourceRef ?? t('common.none')}</Fact>
          <Fact label={t('leads.field.reportedBy')}>{actorName(lead.reportedBy, t('leads.system'))}</Fact>
          <Fact label={t('leads.field.createdAt')}>{formatInstant(lead.createdAt, locale)}</Fact>
          <Fact label={t('leads.field.dueAt')}>
            <DueCell dueAt={lead.dueAt} overdue={lead.overdue} open={open} />
          </Fact>
          <Fact label={t('leads.field.assignedTo')}>{lead.assignedTo?.displayName ?? t('common.none')}</Fact>
          <Fact label={t('leads.field.branch')}>{branchName(lead.branchCode)}</Fact>
          {lead.partner && <Fact label={t('leads.field.partner')}>{lead.partner.name}</Fact>}
        </dl>
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="lead-subject">
          <h2 id="lead-subject">{t('leads.detail.subject')}</h2>
          {lead.subject ? (
            <dl className="facts">
              <Fact label={t('leads.field.subjectName')}>{lead.subject.name}</Fact>
              <Fact label={t('leads.field.dateOfBirth')}>
                <span className="mono">{lead.subject.dateOfBirth ?? t('common.none')}</span>
              </Fact>
              <Fact label={t('leads.field.nationalId')}>
                <span className="mono">{lead.subject.nationalId ?? t('common.none')}</span>
              </Fact>
              <Fact label={t('leads.field.phone')}>
                <span className="mono">{lead.subject.phone ?? t('common.none')}</span>
              </Fact>
            </dl>
          ) : lead.customer ? (
            <p className="muted">{t('leads.detail.byCustomerNumber')}</p>
          ) : (
            !lead.reportedCustomerNumber && <p className="restricted">{t('leads.detail.restricted')}</p>
          )}
          {lead.reportedCustomerNumber && lead.reportedCustomerNumber !== lead.customer?.customerNumber && (
            <dl className="facts">
              <Fact label={t('leads.field.reportedCustomerNumber')}>
                <span className="mono" data-testid="lead-reported-customer-number">
                  {lead.reportedCustomerNumber}
                </span>
                {!lead.customer && <span className="cell-sub">{t('leads.detail.reportedNumberUnknown')}</span>}
              </Fact>
            </dl>
          )}
          <h3>{t('leads.field.summary')}</h3>
          {lead.analysis ? (
            <p className="prose" data-testid="lead-summary-text">
              {t('analysis.lead.score', {
                score: lead.analysis.score,
                threshold: lead.analysis.threshold,
                version: lead.analysis.ruleSetVersion,
              })}{' '}
              {t('analysis.lead.verify')}
            </p>
          ) : lead.summary !== undefined && lead.summary !== null ? (
            <p className="prose" data-testid="lead-summary-text">
              {lead.summary}
            </p>
          ) : (
            <p className="restricted">{t('leads.detail.restricted')}</p>
          )}
        </section>

        <section className="card" aria-labelledby="lead-match">
          <h2 id="lead-match">{t('leads.detail.match')}</h2>
          <div className="match-line">
            <MatchBadge match={lead.match} />
            {lead.customer && (
              <span>
                {hasPermission(user.roles, 'customer.read') ? (
                  <Link to={`/customers/${encodeURIComponent(lead.customer.id)}`}>{lead.customer.name}</Link>
                ) : (
                  lead.customer.name
                )}{' '}
                <span className="mono muted">{lead.customer.customerNumber}</span>
              </span>
            )}
          </div>
          {!lead.customer && (
            <>
              <p className="field-hint">{t('leads.detail.candidatesIntro')}</p>
              {lead.candidates.length === 0 ? (
                <Empty>{t('leads.detail.noCandidates')}</Empty>
              ) : (
                <table className="table table-dense">
                  <thead>
                    <tr>
                      <th scope="col">{t('customers.field.customerNumber')}</th>
                      <th scope="col">{t('customers.field.name')}</th>
                      <th scope="col">{t('customers.field.dateOfBirth')}</th>
                      <th scope="col">{t('leads.detail.why')}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t('common.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {lead.candidates.map((c) => (
                      <tr key={c.customerId} data-testid="lead-candidate">
                        <td className="mono">{c.customerNumber}</td>
                        <td>{c.name}</td>
                        <td className="mono">{c.dateOfBirth ?? t('common.none')}</td>
                        <td>{t(`leads.candidateReason.${c.reason}`)}</td>
                        <td className="num">
                          {supervisor && open && (
                            <ConfirmButton
                              label={t('leads.detail.matchThis')}
                              question={t('leads.detail.matchConfirm', { name: c.name })}
                              onConfirm={() => action.mutate({ step: 'match', body: { customerId: c.customerId } })}
                              disabled={action.isPending}
                            />
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}

          {(lead.condition || lead.consent || lead.referralId) && (
            <>
              <h3>{t('leads.detail.referral')}</h3>
              <dl className="facts">
                {lead.referralId && <Fact label={t('leads.field.referralId')}>{lead.referralId}</Fact>}
                {lead.condition && (
                  <>
                    <Fact label={t('leads.field.condition')}>
                      {conditionName(lead.condition.category)}
                      {lead.condition.icd10 && <span className="mono muted">{lead.condition.icd10}</span>}
                    </Fact>
                    <Fact label={t('leads.field.diagnosedOn')}>{lead.condition.diagnosedOn ?? t('common.none')}</Fact>
                    {lead.condition.summary && (
                      <Fact label={t('leads.field.summary')} wide>
                        {lead.condition.summary}
                      </Fact>
                    )}
                  </>
                )}
                {lead.consent && (
                  <Fact label={t('leads.field.referralConsent')} wide>
                    {t('leads.detail.referralConsent', {
                      at: formatInstant(lead.consent.obtainedAt, locale),
                      evidence: lead.consent.evidenceRef,
                      scope: lead.consent.scope.join(', '),
                    })}
                  </Fact>
                )}
              </dl>
            </>
          )}
        </section>
      </div>

      {lead.analysis && <LeadAnalysisCard analysis={lead.analysis} />}

      {isAssignee && lead.status === 'in_verification' && (
        <section className="card" aria-labelledby="lead-check">
          <h2 id="lead-check">{t('leads.detail.checkTitle')}</h2>
          <p className="field-hint">{t('leads.detail.checkIntro')}</p>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              action.mutate({ step: 'check', body: { finding: finding.trim(), recommendation } });
            }}
          >
            <div className="field">
              <label htmlFor={findingId}>{t('leads.field.finding')}</label>
              <textarea
                id={findingId}
                rows={3}
                value={finding}
                onChange={(e) => setFinding(e.target.value)}
                maxLength={2000}
                required
                data-testid="lead-finding"
              />
            </div>
            <div className="field field-inline">
              <label htmlFor={recId}>{t('leads.field.recommendation')}</label>
              <select
                id={recId}
                value={recommendation}
                onChange={(e) => setRecommendation(RECOMMENDATIONS.find((r) => r === e.target.value) ?? 'unsure')}
              >
                {RECOMMENDATIONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`leads.recommendation.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="form-actions">
              <button
                type="submit"
                className="button button-primary"
                disabled={!finding.trim() || action.isPending}
                data-testid="lead-check-submit"
              >
                {t('leads.detail.checkSubmit')}
              </button>
            </div>
          </form>
        </section>
      )}

      {supervisor && open && (
        <div className="grid-2">
          <section className="card" aria-labelledby="lead-decide">
            <h2 id="lead-decide">{t('leads.detail.decideTitle')}</h2>
            <form className="form" onSubmit={decide}>
              <fieldset className="field">
                <legend id={decisionId}>{t('leads.field.decision')}</legend>
                <div className="segmented" role="radiogroup" aria-labelledby={decisionId}>
                  {DECISIONS.map((d) => (
                    <label key={d} className="segment">
                      <input
                        type="radio"
                        name="decision"
                        value={d}
                        checked={decision === d}
                        onChange={() => setDecision(d)}
                        data-testid={`lead-decision-${d}`}
                      />
                      <span>{t(`leads.decision.${d}`)}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
              {decision === 'confirm' && !lead.customer && <p className="notice notice-info">{t('leads.detail.confirmNeedsMatch')}</p>}
              {decision === 'confirm' && lead.customer && <DefinitionFields value={judged} onChange={setDefinition} />}
              {decision === 'duplicate' && (
                <div className="field">
                  <label htmlFor={dupId}>{t('leads.field.duplicateOf')}</label>
                  <select id={dupId} value={duplicateOf} onChange={(e) => setDuplicateOf(e.target.value)} required>
                    <option value="" disabled>
                      {t('staff.choose')}
                    </option>
                    {others.data?.map((l) => (
                      <option key={l.id} value={l.id}>
                        {leadLabel(l, t('leads.unnamed'))}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <div className="field">
                <label htmlFor={reasonId}>{t('leads.field.reason')}</label>
                <textarea
                  id={reasonId}
                  rows={3}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  maxLength={2000}
                  required
                  placeholder={t(`leads.reasonPlaceholder.${decision}`)}
                  data-testid="lead-decision-reason"
                />
              </div>
              <div className="form-actions">
                <button
                  type="submit"
                  className={decision === 'reject' ? 'button button-danger' : 'button button-primary'}
                  disabled={!decisionReady || action.isPending}
                  data-testid="lead-decision-submit"
                >
                  {t(`leads.decisionSubmit.${decision}`)}
                </button>
              </div>
            </form>
          </section>

          <section className="card" aria-labelledby="lead-assign">
            <h2 id="lead-assign">{t('leads.detail.assignTitle')}</h2>
            <p className="field-hint">{t('leads.detail.assignIntro')}</p>
            <form
              className="form"
              onSubmit={(e) => {
                e.preventDefault();
                action.mutate({ step: 'assign', body: { staffId: assignee, ...(assignNote.trim() ? { note: assignNote.trim() } : {}) } });
              }}
            >
              <ColleagueSelect
                label={t('leads.field.colleague')}
                value={assignee}
                onChange={setAssignee}
                required
                excludeId={user.id}
                testId="lead-assignee"
              />
              <div className="field">
                <label htmlFor={noteId}>{t('leads.field.note')}</label>
                <input id={noteId} value={assignNote} onChange={(e) => setAssignNote(e.target.value)} maxLength={500} />
              </div>
              <div className="form-actions">
                <button type="submit" className="button" disabled={!assignee || action.isPending} data-testid="lead-assign-submit">
                  {t('leads.detail.assignSubmit')}
                </button>
              </div>
            </form>

            <h3 className="section-gap">{t('leads.detail.mergeTitle')}</h3>
            <p className="field-hint">{t('leads.detail.mergeIntro')}</p>
            <div className="field">
              <label htmlFor={mergeId}>{t('leads.field.mergeInto')}</label>
              <select id={mergeId} value={mergeInto} onChange={(e) => setMergeInto(e.target.value)}>
                <option value="">{t('staff.choose')}</option>
                {others.data?.map((l) => (
                  <option key={l.id} value={l.id}>
                    {leadLabel(l, t('leads.unnamed'))}
                  </option>
                ))}
              </select>
            </div>
            <div className="form-actions">
              <ConfirmButton
                label={t('leads.detail.mergeSubmit')}
                question={t('leads.detail.mergeConfirm')}
                onConfirm={() => action.mutate({ step: 'merge', body: { into: mergeInto } })}
                disabled={!mergeInto || action.isPending}
              />
            </div>
          </section>
        </div>
      )}

      {(lead.decision || lead.checks.length > 0) && (
        <section className="card" aria-labelledby="lead-verification">
          <h2 id="lead-verification">{t('leads.detail.verification')}</h2>
          {lead.checks.map((c) => (
            <div key={`${c.at}`} className="entry">
              <p className="entry-head">
                <strong>{t('leads.detail.checkBy', { name: actorName(c.by, t('leads.system')) })}</strong>
                <span className="muted">{formatInstant(c.at, locale)}</span>
                <span className="badge">{t(`leads.recommendation.${c.recommendation}`, { defaultValue: c.recommendation })}</span>
              </p>
              {c.finding && <p className="prose">{c.finding}</p>}
            </div>
          ))}
          {lead.decision && (
            <div className="entry entry-decision" data-testid="lead-decision">
              <p className="entry-head">
                <strong>{t(`leads.decision.${lead.decision.decision}`, { defaultValue: lead.decision.decision })}</strong>
                <span>{actorName(lead.decision.by, t('leads.system'))}</span>
                <span className="muted">{formatInstant(lead.decision.at, locale)}</span>
              </p>
              {lead.decision.reason && <p className="prose">{lead.decision.reason}</p>}
            </div>
          )}
        </section>
      )}

      <section className="card card-flush" aria-labelledby="lead-history">
        <h2 id="lead-history" className="card-title">
          {t('leads.detail.history')}
          <span className="count">{t('common.count', { count: lead.history.length })}</span>
        </h2>
        {lead.history.length === 0 ? (
          <Empty>{t('leads.detail.noHistory')}</Empty>
        ) : (
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">{t('audit.field.occurredAt')}</th>
                <th scope="col">{t('audit.field.actor')}</th>
                <th scope="col">{t('audit.field.action')}</th>
                <th scope="col">{t('audit.field.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {lead.history.map((h) => (
                <tr key={`${h.at}-${h.action}-${h.actor?.id ?? ''}`}>
                  <td className="nowrap">{formatInstant(h.at, locale)}</td>
                  <td>{actorName(h.actor, t('leads.system'))}</td>
                  <td>{t(`leads.action.${h.action}`, { defaultValue: h.action })}</td>
                  <td className="history-detail">{historyDetail(h.detail, h.note)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
