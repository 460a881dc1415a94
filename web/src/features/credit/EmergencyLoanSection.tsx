import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatDay, formatInstant, formatMinor } from '../../i18n/format';
import { type EmergencyLoan, useEmergencyLoan } from './api-credit';

const ASSESSABLE = new Set(['requested', 'in_review']);
const BOOKABLE = new Set(['approved', 'in_progress', 'completed']);

/** The risk officer's assessment form: a recommendation and its reason, before the supervisor decides. */
function AssessmentForm({ loan }: { loan: EmergencyLoan }) {
  const { t } = useTranslation();
  const ids = { rec: useId(), reason: useId() };
  const queryClient = useQueryClient();
  const [recommendation, setRecommendation] = useState<'approve' | 'decline'>('approve');
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () =>
      post<EmergencyLoan>(`/api/v1/service-requests/${encodeURIComponent(loan.requestId)}/credit-assessment`, {
        recommendation,
        reason: reason.trim(),
      }),
    onSuccess: (v) => {
      queryClient.setQueryData(['credit', 'emergency-loan', loan.requestId], v);
      setReason('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) save.mutate();
  };
  return (
    <form className="form" onSubmit={submit} data-testid="assessment-form">
      <div className="field">
        <label htmlFor={ids.rec}>{t('credit.loan.recommendation')}</label>
        <select
          id={ids.rec}
          value={recommendation}
          onChange={(e) => setRecommendation(e.target.value === 'decline' ? 'decline' : 'approve')}
        >
          <option value="approve">{t('credit.loan.recommend.approve')}</option>
          <option value="decline">{t('credit.loan.recommend.decline')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.reason}>{t('credit.loan.assessmentReason')}</label>
        <textarea id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} required />
      </div>
      <ErrorNotice error={save.error} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending || !reason.trim()} data-testid="assessment-submit">
          {t('credit.loan.assess')}
        </button>
      </div>
    </form>
  );
}

/** Operations record core banking's booking reference of an approved loan or schedule. */
export function BookingForm({ requestId, queryKey }: { requestId: string; queryKey: readonly unknown[] }) {
  const { t } = useTranslation();
  const ids = { ref: useId(), day: useId() };
  const queryClient = useQueryClient();
  const [reference, setReference] = useState('');
  const [bookedOn, setBookedOn] = useState(() => new Date().toLocaleDateString('sv-SE'));
  const save = useMutation({
    mutationFn: () => post(`/api/v1/service-requests/${encodeURIComponent(requestId)}/booking`, { reference: reference.trim(), bookedOn }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...queryKey] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reference.trim()) save.mutate();
  };
  return (
    <form className="form form-inline" onSubmit={submit} data-testid="booking-form">
      <div className="field">
        <label htmlFor={ids.ref}>{t('credit.loan.bookingReference')}</label>
        <input id={ids.ref} value={reference} onChange={(e) => setReference(e.target.value)} maxLength={64} required />
      </div>
      <div className="field">
        <label htmlFor={ids.day}>{t('credit.loan.bookedOn')}</label>
        <input id={ids.day} type="date" value={bookedOn} onChange={(e) => setBookedOn(e.target.value)} required />
      </div>
      <ErrorNotice error={save.error} labels={{ reference: t('credit.loan.bookingReference'), bookedOn: t('credit.loan.bookedOn') }} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={save.isPending} data-testid="booking-submit">
          {t('credit.loan.recordBooking')}
        </button>
      </div>
    </form>
  );
}

/** An emergency loan request's own section: terms, shortfall and cap, the risk assessment, the time to decision, the booking. */
export function EmergencyLoanSection({ requestId }: { requestId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { user } = useSignedIn();
  const loan = useEmergencyLoan(requestId, true);
  const money = (minor: number) => formatMinor(minor, 'CNY', locale);
  if (loan.isPending) return <Loading />;
  const l = loan.data;
  if (!l) return <ErrorNotice error={loan.error} />;
  const first = l.schedule.instalments[0];
  return (
    <section className="card" data-testid="emergency-loan-section">
      <h2 className="card-title">{t('credit.loan.title')}</h2>
      <dl className="facts facts-4">
        <dt>{t('credit.loan.amount')}</dt>
        <dd data-testid="loan-amount">{money(l.amountMinor)}</dd>
        <dt>{t('credit.loan.term')}</dt>
        <dd>{t('credit.loan.months', { count: l.termMonths })}</dd>
        <dt>{t('credit.loan.rate')}</dt>
        <dd>{t('credit.loan.ratePercent', { rate: l.annualRatePercent })}</dd>
        <dt>{t('credit.loan.account')}</dt>
        <dd className="mono">{l.account?.accountNumber ?? t('common.none')}</dd>
        <dt>{t('credit.loan.shortfall')}</dt>
        <dd data-testid="loan-shortfall">{money(l.shortfall.shortfallMinor)}</dd>
        <dt>{t('credit.loan.cap')}</dt>
        <dd>{money(l.shortfall.capMinor)}</dd>
        <dt>{t('credit.loan.instalment')}</dt>
        <dd>{first ? money(first.totalMinor) : t('common.none')}</dd>
        <dt>{t('credit.loan.totalInterest')}</dt>
        <dd>{money(l.schedule.totalInterestMinor)}</dd>
        <dt>{t('credit.loan.hoursToDecision')}</dt>
        <dd data-testid="loan-hours">
          {l.hoursToDecision === null
            ? t('credit.loan.notDecided')
            : t('credit.loan.hoursOf', { hours: l.hoursToDecision, target: l.priorityHours })}
        </dd>
      </dl>
      <p className="field-hint">
        {t('credit.loan.shortfallHow', {
          medical: money(l.shortfall.expectedMedicalCostsMinor),
          income: money(l.shortfall.lostIncomeMinor),
          months: l.shortfall.horizonMonths,
          savings: money(l.shortfall.liquidSavingsMinor),
        })}
      </p>

      <h3>{t('credit.loan.assessment')}</h3>
      {l.assessment ? (
        <dl className="facts" data-testid="loan-assessment">
          <dt>{t('credit.loan.recommendation')}</dt>
          <dd>{t(`credit.loan.recommend.${l.assessment.recommendation}`)}</dd>
          <dt>{t('credit.loan.assessmentReason')}</dt>
          <dd>{l.assessment.reason ?? t('common.none')}</dd>
          <dt>{t('credit.loan.assessedBy')}</dt>
          <dd>
            {l.assessment.assessedBy.displayName} · {formatInstant(l.assessment.assessedAt, locale)}
          </dd>
        </dl>
      ) : (
        <p className="muted">{t('credit.loan.notAssessed')}</p>
      )}
      {hasPermission(user.roles, 'credit.assess') && ASSESSABLE.has(l.status) && <AssessmentForm loan={l} />}

      <h3>{t('credit.loan.booking')}</h3>
      {l.booking ? (
        <p data-testid="loan-booking">
          {t('credit.loan.booked', { reference: l.booking.reference, day: formatDay(l.booking.bookedOn, locale) })}
        </p>
      ) : (
        <p className="muted">{t(BOOKABLE.has(l.status) ? 'credit.loan.awaitingBooking' : 'credit.loan.bookedAfterApproval')}</p>
      )}
      {!l.booking && BOOKABLE.has(l.status) && hasPermission(user.roles, 'loan.book') && (
        <BookingForm requestId={l.requestId} queryKey={['credit', 'emergency-loan', l.requestId]} />
      )}
    </section>
  );
}
