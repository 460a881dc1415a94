import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { SENSITIVITY_LEVELS, type SensitivityLevel } from '../../../../src/domain/risk-assessment';
import type { AssessmentView } from '../../../../src/features/risk/risk.schemas.js';
import { get, request } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { formatDay, formatInstant, formatMinor } from '../../i18n/format';
import { minorToYuanText, yuanToMinor } from '../cases/money';

type Assessment = z.output<typeof AssessmentView>;
type Measure = Assessment['measures'][number];

interface Draft {
  sensitivity: SensitivityLevel;
  reviewOn: string;
  notes: string;
  limits: { loanId: string; newLimit: string }[];
}

/** The draft of an assessment: what is in force, and the credit-limit changes still awaiting approval. */
function draftOf(a: Assessment): Draft {
  return {
    sensitivity: a.sensitivity,
    reviewOn: a.reviewOn ?? '',
    notes: a.notes ?? '',
    limits: a.measures
      .filter((m) => m.kind === 'credit_limit' && m.status === 'proposed' && m.loan !== null)
      .map((m) => ({ loanId: m.loan?.id ?? '', newLimit: m.newLimitMinor === null ? '' : minorToYuanText(m.newLimitMinor) })),
  };
}

/**
 * The risk officer's case assessment (P3.2.3, P7.2.2): the credit and fund-safety exposure, the
 * monitoring in force, the review date and the measures. The case's risk officer (`canEdit` from the
 * server) changes it; a supervisor other than the proposer (`canApprove`, not `userId`) approves a credit-limit change.
 */
export function RiskAssessmentCard({ caseId, canApprove, userId }: { caseId: string; canApprove: boolean; userId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const queryClient = useQueryClient();
  const notesId = useId();
  const sensitivityId = useId();
  const key = ['risk', caseId];
  const url = `/api/v1/cases/${encodeURIComponent(caseId)}/risk-assessment`;
  const current = useQuery({ queryKey: key, queryFn: () => get<Assessment>(url) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [invalidLimit, setInvalidLimit] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: key });
    await queryClient.invalidateQueries({ queryKey: ['work'] });
  };
  const save = useMutation({
    mutationFn: (body: object) => request<Assessment>('PUT', url, { body, headers: { 'if-match': `"${current.data?.version ?? 0}"` } }),
    onSuccess: async () => {
      setDraft(null);
      await refresh();
    },
  });
  const decide = useMutation({
    mutationFn: (v: { id: string; decision: 'approve' | 'reject' }) =>
      request<Assessment>('POST', `/api/v1/risk-measures/${encodeURIComponent(v.id)}/decision`, { body: { decision: v.decision } }),
    onSuccess: refresh,
  });

  const a = current.data;
  const money = (minor: number) => formatMinor(minor, a?.currency ?? 'CNY', locale);
  const level = (s: SensitivityLevel) => t(`risk.sensitivity.${s}`);
  const loanName = (m: Pick<Measure, 'loan'>) =>
    m.loan
      ? `${t(`codes.loanProduct.${m.loan.product ?? ''}`, { defaultValue: m.loan.product ?? '' })} ${m.loan.loanNumber ?? ''}`.trim()
      : '';
  const openLoans = (a?.credit.loans ?? []).filter((l) => l.status !== 'closed');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const limits = draft.limits.filter((l) => l.loanId !== '').map((l) => ({ loanId: l.loanId, minor: yuanToMinor(l.newLimit) }));
    if (limits.some((l) => l.minor === null || l.minor === undefined)) {
      setInvalidLimit(true);
      return;
    }
    setInvalidLimit(false);
    save.mutate({
      notes: draft.notes.trim() === '' ? null : draft.notes,
      reviewOn: draft.reviewOn,
      measures: [
        ...(draft.sensitivity === 'normal' ? [] : [{ kind: 'monitoring', sensitivity: draft.sensitivity }]),
        ...limits.map((l) => ({ kind: 'credit_limit', loanId: l.loanId, newLimitMinor: l.minor })),
      ],
    });
  };

  return (
    <section className="card" aria-labelledby="case-risk" data-testid="case-risk">
      <h2 id="case-risk">{t('risk.title')}</h2>
      <p className="muted">{t('risk.intro')}</p>
      <ErrorNotice
        error={current.error ?? save.error ?? decide.error}
        labels={{ reviewOn: t('risk.reviewOn'), notes: t('risk.notes'), loanId: t('risk.loan'), newLimitMinor: t('risk.newLimit') }}
      />
      {current.isPending || !a ? (
        current.isPending && <Loading />
      ) : (
        <>
          <h3>{t('risk.credit.title')}</h3>
          <dl className="facts facts-4" data-testid="risk-credit">
            <div>
              <dt>{t('risk.credit.drawn')}</dt>
              <dd>{money(a.credit.drawnMinor)}</dd>
            </div>
            <div>
              <dt>{t('risk.credit.undrawnCardLimit')}</dt>
              <dd>{money(a.credit.undrawnCardLimitMinor)}</dd>
            </div>
            <div>
              <dt>{t('risk.credit.total')}</dt>
              <dd>
                <strong>{money(a.credit.totalMinor)}</strong>
              </dd>
            </div>
            <div>
              <dt>{t('risk.credit.pastDue')}</dt>
              <dd>{money(a.credit.pastDueMinor)}</dd>
            </div>
            <div>
              <dt>{t('risk.credit.guarantees')}</dt>
              <dd className="muted">{t('risk.credit.noGuaranteeData')}</dd>
            </div>
          </dl>
          <h3>{t('risk.funds.title')}</h3>
          <dl className="facts facts-4" data-testid="risk-funds">
            <div>
              <dt>{t('risk.funds.unresolved')}</dt>
              <dd>{t('risk.funds.alerts', { count: a.fundSafety.unresolvedAlerts, amount: money(a.fundSafety.unresolvedMinor) })}</dd>
            </div>
            <div>
              <dt>{t('risk.funds.confirmed')}</dt>
              <dd>{t('risk.funds.alerts', { count: a.fundSafety.confirmedAlerts, amount: money(a.fundSafety.confirmedMinor) })}</dd>
            </div>
            <div>
              <dt>{t('risk.funds.legitimate')}</dt>
              <dd>{a.fundSafety.legitimateAlerts}</dd>
            </div>
          </dl>

          <h3>{t('risk.measures.title')}</h3>
          <dl className="facts" data-testid="risk-current">
            <div>
              <dt>{t('risk.monitoring')}</dt>
              <dd data-testid="risk-sensitivity">
                {level(a.sensitivity)}
                {a.sensitivity !== 'normal' && (
                  <span className="muted">
                    {' · '}
                    {t('risk.thresholdsAt', { percent: new Intl.NumberFormat(locale, { style: 'percent' }).format(a.multiplier) })}
                  </span>
                )}
                {a.suggestedSensitivity !== a.sensitivity && (
                  <span className="muted">
                    {' · '}
                    {t('risk.suggested', { level: level(a.suggestedSensitivity) })}
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt>{t('risk.reviewOn')}</dt>
              <dd data-testid="risk-review">
                {a.reviewOn ? formatDay(a.reviewOn, locale) : t('risk.notAssessed')}
                {a.reviewState && a.reviewState !== 'upcoming' && (
                  <span className={a.reviewState === 'overdue' ? 'badge badge-overdue' : 'badge badge-pending'}>
                    {t(`risk.reviewState.${a.reviewState}`)}
                  </span>
                )}
              </dd>
            </div>
            {a.notes !== null && (
              <div>
                <dt>{t('risk.notes')}</dt>
                <dd className="prose">{a.notes}</dd>
              </div>
            )}
            {a.updatedAt && (
              <div>
                <dt>{t('risk.updated')}</dt>
                <dd>{t('risk.updatedBy', { at: formatInstant(a.updatedAt, locale), who: a.updatedBy?.displayName ?? '' })}</dd>
              </div>
            )}
          </dl>

          {a.measures.some((m) => m.kind === 'credit_limit') && (
            <div className="table-scroll">
              <table className="table table-dense" data-testid="risk-limit-changes">
                <thead>
                  <tr>
                    <th scope="col">{t('risk.loan')}</th>
                    <th scope="col">{t('risk.currentLimit')}</th>
                    <th scope="col">{t('risk.newLimit')}</th>
                    <th scope="col">{t('risk.status')}</th>
                    <th scope="col">{t('risk.proposedBy')}</th>
                    <th scope="col" />
                  </tr>
                </thead>
                <tbody>
                  {a.measures
                    .filter((m) => m.kind === 'credit_limit')
                    .map((m) => (
                      <tr key={m.id}>
                        <td>{loanName(m)}</td>
                        <td className="num">{m.currentLimitMinor === null ? '' : money(m.currentLimitMinor)}</td>
                        <td className="num">{m.newLimitMinor === null ? '' : money(m.newLimitMinor)}</td>
                        <td>
                          {t(`risk.measureStatus.${m.status}`)}
                          {m.instructed && <span className="muted"> · {t('risk.instructed')}</span>}
                        </td>
                        <td>{m.proposedBy?.displayName ?? ''}</td>
                        <td>
                          {canApprove && m.status === 'proposed' && m.proposedBy?.id !== userId && (
                            <div className="field field-inline">
                              <button
                                type="button"
                                className="button button-primary button-small"
                                disabled={decide.isPending}
                                onClick={() => decide.mutate({ id: m.id, decision: 'approve' })}
                                data-testid="risk-approve"
                              >
                                {t('risk.approve')}
                              </button>
                              <button
                                type="button"
                                className="button button-small"
                                disabled={decide.isPending}
                                onClick={() => decide.mutate({ id: m.id, decision: 'reject' })}
                              >
                                {t('risk.reject')}
                              </button>
                            </div>
                          )}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}

          {draft ? (
            <form className="form form-grid" onSubmit={submit} data-testid="risk-form">
              <div className="field">
                <label htmlFor={sensitivityId}>{t('risk.monitoring')}</label>
                <select
                  id={sensitivityId}
                  value={draft.sensitivity}
                  onChange={(e) => setDraft({ ...draft, sensitivity: SENSITIVITY_LEVELS.find((s) => s === e.target.value) ?? 'normal' })}
                  data-testid="risk-sensitivity-select"
                >
                  {SENSITIVITY_LEVELS.map((s) => (
                    <option key={s} value={s}>
                      {level(s)}
                    </option>
                  ))}
                </select>
                <span className="field-hint">{t('risk.monitoringHint')}</span>
              </div>
              <Field
                label={t('risk.reviewOn')}
                type="date"
                required
                value={draft.reviewOn}
                onChange={(e) => setDraft({ ...draft, reviewOn: e.target.value })}
                data-testid="risk-review-input"
              />
              <div className="field field-wide">
                <label htmlFor={notesId}>{t('risk.notes')}</label>
                <textarea
                  id={notesId}
                  rows={3}
                  maxLength={4000}
                  value={draft.notes}
                  onChange={(e) => setDraft({ ...draft, notes: e.target.value })}
                />
              </div>
              <fieldset className="field field-wide">
                <legend>{t('risk.limitChanges')}</legend>
                <p className="field-hint">{t('risk.limitHint')}</p>
                {draft.limits.map((l, i) => (
                  // Rows have no identity of their own but their position while the draft is open.
                  // biome-ignore lint/suspicious/noArrayIndexKey: the position is the row's identity in the draft
                  <div key={i} className="field field-inline">
                    <select
                      aria-label={t('risk.loan')}
                      value={l.loanId}
                      onChange={(e) =>
                        setDraft({ ...draft, limits: draft.limits.map((x, j) => (j === i ? { ...x, loanId: e.target.value } : x)) })
                      }
                    >
                      <option value="">{t('risk.chooseLoan')}</option>
                      {openLoans.map((loan) => (
                        <option key={loan.id} value={loan.id}>
                          {`${t(`codes.loanProduct.${loan.product}`)} ${loan.loanNumber} · ${money(loan.principalMinor)}`}
                        </option>
                      ))}
                    </select>
                    <input
                      aria-label={t('risk.newLimitYuan')}
                      inputMode="decimal"
                      value={l.newLimit}
                      onChange={(e) =>
                        setDraft({ ...draft, limits: draft.limits.map((x, j) => (j === i ? { ...x, newLimit: e.target.value } : x)) })
                      }
                    />
                    <button
                      type="button"
                      className="button button-ghost button-small"
                      onClick={() => setDraft({ ...draft, limits: draft.limits.filter((_, j) => j !== i) })}
                    >
                      {t('risk.removeLimit')}
                    </button>
                  </div>
                ))}
                {openLoans.length > 0 && (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setDraft({ ...draft, limits: [...draft.limits, { loanId: '', newLimit: '' }] })}
                    data-testid="risk-add-limit"
                  >
                    {t('risk.addLimit')}
                  </button>
                )}
                {invalidLimit && <p className="notice notice-error">{t('risk.invalidLimit')}</p>}
              </fieldset>
              <div className="form-actions">
                <button type="button" className="button button-ghost" onClick={() => setDraft(null)}>
                  {t('common.cancel')}
                </button>
                <button type="submit" className="button button-primary" disabled={save.isPending} data-testid="risk-save">
                  {t('risk.save')}
                </button>
              </div>
            </form>
          ) : (
            a.canEdit && (
              <div className="form-actions">
                <button type="button" className="button button-primary" onClick={() => setDraft(draftOf(a))} data-testid="risk-edit">
                  {a.assessed ? t('risk.edit') : t('risk.assess')}
                </button>
              </div>
            )
          )}
        </>
      )}
    </section>
  );
}
