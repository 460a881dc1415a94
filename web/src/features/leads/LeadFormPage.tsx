import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { post } from '../../api/client';
import { type CreateLeadInput, LEAD_CHANNELS, type LeadChannel, type LeadView } from '../../api/types';
import { canSee } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { LeadStatusBadge, MatchBadge } from './LeadBits';

type Identify = 'customer' | 'subject';

interface LeadForm {
  channel: LeadChannel;
  identify: Identify;
  customerNumber: string;
  name: string;
  nationalId: string;
  dateOfBirth: string;
  phone: string;
  summary: string;
  sourceRef: string;
}

const EMPTY: LeadForm = {
  channel: 'self_report',
  identify: 'customer',
  customerNumber: '',
  name: '',
  nationalId: '',
  dateOfBirth: '',
  phone: '',
  summary: '',
  sourceRef: '',
};

/** The request body: only what was filled in, identifiers normalised the way the search page does. */
function toInput(form: LeadForm): CreateLeadInput {
  const input: CreateLeadInput = { channel: form.channel, summary: form.summary.trim() };
  if (form.identify === 'customer') {
    input.customerNumber = form.customerNumber.trim().toUpperCase();
  } else {
    const subject: NonNullable<CreateLeadInput['subject']> = { name: form.name.trim() };
    const nationalId = form.nationalId.replace(/\s/g, '').toUpperCase();
    const phone = form.phone.replace(/[\s-]/g, '');
    if (nationalId) subject.nationalId = nationalId;
    if (form.dateOfBirth) subject.dateOfBirth = form.dateOfBirth;
    if (phone) subject.phone = phone;
    input.subject = subject;
  }
  const sourceRef = form.sourceRef.trim();
  if (sourceRef) input.sourceRef = sourceRef;
  return input;
}

/**
 * P2.3.1: any staff member records a lead in under a minute — one screen, the likely answers
 * preselected, Enter submits. The answer says at once whether the customer was found.
 */
export function LeadFormPage() {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const [form, setForm] = useState<LeadForm>(EMPTY);
  // One key per filled-in form: a double click or a retry after a timeout records the lead once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const summaryId = useId();
  const set = (patch: Partial<LeadForm>) => setForm((f) => ({ ...f, ...patch }));

  const create = useMutation({
    mutationFn: (input: CreateLeadInput) => post<LeadView>('/api/v1/leads', input, { 'idempotency-key': idempotencyKey }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(toInput(form));
  };
  const another = () => {
    setForm({ ...EMPTY, channel: form.channel });
    setIdempotencyKey(crypto.randomUUID());
    create.reset();
  };

  const needsSource = form.channel === 'external';
  const identified = form.identify === 'customer' ? form.customerNumber.trim() !== '' : form.name.trim() !== '';
  const ready = identified && form.summary.trim() !== '' && (!needsSource || form.sourceRef.trim() !== '');
  const lead = create.data;

  if (lead) {
    return (
      <div className="page page-narrow">
        <header className="page-header">
          <div>
            <h1>{t('leads.form.doneTitle')}</h1>
            <p className="page-sub">{t('leads.form.doneIntro')}</p>
          </div>
        </header>
        <section className="card" aria-labelledby="lead-result" data-testid="lead-result">
          <h2 id="lead-result">{t('leads.form.result')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('common.status')}</dt>
              <dd>
                <LeadStatusBadge status={lead.status} />
              </dd>
            </div>
            <div>
              <dt>{t('leads.field.match')}</dt>
              <dd>
                <MatchBadge match={lead.match} />
                {lead.customer && (
                  <span>
                    {lead.customer.name} <span className="mono muted">{lead.customer.customerNumber}</span>
                  </span>
                )}
              </dd>
            </div>
          </dl>
          {lead.duplicateOf && (
            <p className="notice notice-info" data-testid="lead-linked">
              {t('leads.form.linkedToLead')}
            </p>
          )}
          {lead.linkedCaseId && (
            <p className="notice notice-info" data-testid="lead-linked">
              {t('leads.form.linkedToCase')}
            </p>
          )}
          {!lead.match && <p className="field-hint">{t('leads.form.unmatchedHint')}</p>}
          <div className="form-actions">
            {canSee(user.roles, 'lead.read') && (
              <Link className="button" to={`/leads/${encodeURIComponent(lead.id)}`} data-testid="lead-open">
                {t('leads.form.open')}
              </Link>
            )}
            <button type="button" className="button button-primary" onClick={another} data-testid="lead-another">
              {t('leads.form.another')}
            </button>
          </div>
        </section>
      </div>
    );
  }

  return (
    <div className="page page-narrow">
      <header className="page-header">
        <div>
          <h1>{t('leads.form.title')}</h1>
          <p className="page-sub">{t('leads.form.intro')}</p>
        </div>
      </header>
      <form className="card form" onSubmit={submit} aria-label={t('leads.form.title')} data-testid="lead-form">
        <ErrorNotice error={create.error} />
        <fieldset className="field">
          <legend>{t('leads.field.channel')}</legend>
          <div className="segmented" role="radiogroup">
            {LEAD_CHANNELS.map((c) => (
              <label key={c} className="segment">
                <input
                  type="radio"
                  name="channel"
                  value={c}
                  checked={form.channel === c}
                  onChange={() => set({ channel: c })}
                  data-testid={`lead-channel-${c}`}
                />
                <span>{t(`leads.channel.${c}`)}</span>
              </label>
            ))}
          </div>
          <span className="field-hint">{t(`leads.channelHint.${form.channel}`)}</span>
        </fieldset>

        <fieldset className="field">
          <legend>{t('leads.form.who')}</legend>
          <div className="segmented" role="radiogroup">
            {(['customer', 'subject'] as const).map((k) => (
              <label key={k} className="segment">
                <input
                  type="radio"
                  name="identify"
                  value={k}
                  checked={form.identify === k}
                  onChange={() => set({ identify: k })}
                  data-testid={`lead-identify-${k}`}
                />
                <span>{t(`leads.form.identify.${k}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>

        {form.identify === 'customer' ? (
          <Field
            label={t('leads.field.customerNumber')}
            value={form.customerNumber}
            onChange={(e) => set({ customerNumber: e.target.value })}
            maxLength={32}
            autoComplete="off"
            spellCheck={false}
            required
            autoFocus
            hint={t('leads.form.customerNumberHint')}
            data-testid="lead-customer-number"
          />
        ) : (
          <div className="grid-2 tight">
            <Field
              label={t('leads.field.subjectName')}
              value={form.name}
              onChange={(e) => set({ name: e.target.value })}
              maxLength={100}
              autoComplete="off"
              required
              autoFocus
              data-testid="lead-subject-name"
            />
            <Field
              label={t('leads.field.nationalId')}
              value={form.nationalId}
              onChange={(e) => set({ nationalId: e.target.value })}
              maxLength={40}
              autoComplete="off"
              spellCheck={false}
              data-testid="lead-subject-national-id"
            />
            <Field
              label={t('leads.field.dateOfBirth')}
              type="date"
              value={form.dateOfBirth}
              onChange={(e) => set({ dateOfBirth: e.target.value })}
              data-testid="lead-subject-dob"
            />
            <Field
              label={t('leads.field.phone')}
              value={form.phone}
              onChange={(e) => set({ phone: e.target.value })}
              maxLength={40}
              inputMode="tel"
              autoComplete="off"
              data-testid="lead-subject-phone"
            />
          </div>
        )}

        <div className="field">
          <label htmlFor={summaryId}>{t('leads.field.summary')}</label>
          <textarea
            id={summaryId}
            rows={4}
            value={form.summary}
            onChange={(e) => set({ summary: e.target.value })}
            onKeyDown={(e) => {
              // Ctrl/Cmd+Enter sends from the text area, so the keyboard never has to leave it.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && ready) {
                e.preventDefault();
                create.mutate(toInput(form));
              }
            }}
            maxLength={2000}
            required
            placeholder={t('leads.form.summaryPlaceholder')}
            data-testid="lead-summary"
          />
          <span className="field-hint">{t('leads.form.summaryHint')}</span>
        </div>

        {form.channel !== 'self_report' && (
          <Field
            label={needsSource ? t('leads.field.sourceRefRequired') : t('leads.field.sourceRef')}
            value={form.sourceRef}
            onChange={(e) => set({ sourceRef: e.target.value })}
            maxLength={500}
            required={needsSource}
            hint={t('leads.form.sourceRefHint')}
            data-testid="lead-source-ref"
          />
        )}

        <div className="form-actions">
          <p className="field-hint">{t('leads.form.privacyHint')}</p>
          <button type="submit" className="button button-primary" disabled={!ready || create.isPending} data-testid="lead-submit">
            {create.isPending ? t('leads.form.submitting') : t('leads.form.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
