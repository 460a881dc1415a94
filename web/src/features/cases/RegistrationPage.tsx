import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { get, post } from '../../api/client';
import {
  type CaseView,
  type CreateCaseInput,
  type CustomerDetail,
  LEGAL_BASES,
  type LegalBasis,
  type LeadView,
  type Money,
  type Severity,
} from '../../api/types';
import { useBranchName } from '../../app/branches';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { ColleagueSelect } from '../leads/Colleagues';
import { caseLink } from './caseLinks';
import { ConditionSelect, dateFromToday, MoneyField, SeverityChoice, YesNo } from './CaseFields';
import { type ConsentDraft, ConsentFields, consentGrant, consentReady, newConsentDraft } from './ConsentFields';
import { minorToYuanText, yuanToMoney } from './money';

// P5.3: the file is updated at least every 30 days; the first review defaults to that.
const DEFAULT_REVIEW_DAYS = 30;

interface Draft {
  name: string;
  phone: string;
  address: string;
  category: string;
  description: string;
  diagnosedOn: string;
  hospital: string;
  mobilityImpaired: boolean;
  lostIncome: string;
  medicalCosts: string;
  debts: string;
  financeNotes: string;
  severity: Severity;
  reviewOn: string;
  maintainerId: string;
  basis: 'consent' | 'legal';
  health: ConsentDraft;
  legalBasis: LegalBasis;
  legalNote: string;
  sharing: boolean;
  share: ConsentDraft;
}

function Section({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card form-section" aria-labelledby={id}>
      <h2 id={id}>
        <span className="section-number">{n}</span>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Builds the request; null fields mean "invalid amount" and block the submit before it gets here. */
function toInput(leadId: string, d: Draft, customerName: string, partnerId: string | null, selfId: string): CreateCaseInput {
  const corrections: { name?: string; phone?: string; address?: string } = {};
  if (d.name.trim() && d.name.trim() !== customerName) corrections.name = d.name.trim();
  if (d.phone.trim()) corrections.phone = d.phone.replace(/[\s-]/g, '');
  if (d.address.trim()) corrections.address = d.address.trim();
  const finances: CreateCaseInput['financialImpact'] = {};
  const money: [keyof Omit<CreateCaseInput['financialImpact'], 'notes'>, string][] = [
    ['lostIncome', d.lostIncome],
    ['expectedMedicalCosts', d.medicalCosts],
    ['debts', d.debts],
  ];
  for (const [key, text] of money) {
    const m: Money | null | undefined = yuanToMoney(text);
    if (m) finances[key] = m;
  }
  if (d.financeNotes.trim()) finances.notes = d.financeNotes.trim();
  const consent: CreateCaseInput['consent'] =
    d.basis === 'consent'
      ? { healthProcessing: consentGrant(d.health) }
      : { legalBasis: { basis: d.legalBasis, note: d.legalNote.trim() } };
  if (d.sharing && partnerId) consent.partnerSharing = [{ partnerId, ...consentGrant(d.share) }];
  return {
    leadId,
    ...(Object.keys(corrections).length > 0 ? { basic: { corrections } } : {}),
    condition: {
      // The select only offers the server's own codes; the cast names that contract.
      category: d.category as CreateCaseInput['condition']['category'],
      description: d.description.trim(),
      ...(d.diagnosedOn ? { diagnosedOn: d.diagnosedOn } : {}),
      ...(d.hospital.trim() ? { hospital: d.hospital.trim() } : {}),
    },
    mobilityImpaired: d.mobilityImpaired,
    financialImpact: finances,
    severity: d.severity,
    reviewOn: d.reviewOn,
    // P5.3.2: every file has a maintainer; left empty, it is the registering supervisor.
    maintainerId: d.maintainerId || selfId,
    consent,
  };
}

/** P2.3.3: the identification registration form, filled from a confirmed lead and the master data. */
export function RegistrationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const branchName = useBranchName();
  const { user } = useSignedIn();
  const legalId = useId();
  const descId = useId();
  const notesId = useId();
  const legalNoteId = useId();
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const lead = useQuery({ queryKey: ['lead', id], queryFn: () => get<LeadView>(`/api/v1/leads/${encodeURIComponent(id)}`) });
  const customerId = lead.data?.customer?.id;
  const customer = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => get<CustomerDetail>(`/api/v1/customers/${encodeURIComponent(customerId ?? '')}`),
    enabled: customerId !== undefined,
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const c = customer.data?.customer;
  if (c && draft === null) {
    // The supervisor's finding on confirming the lead (P2.1) carries forward into the form.
    const finding = lead.data?.definition;
    const yuan = (m: { amountMinor: number } | undefined) => (m ? minorToYuanText(m.amountMinor) : '');
    setDraft({
      name: c.name,
      phone: '',
      address: '',
      category: finding?.conditionCategory ?? lead.data?.condition?.category ?? '',
      description: lead.data?.condition?.summary ?? '',
      diagnosedOn: lead.data?.condition?.diagnosedOn ?? '',
      hospital: '',
      mobilityImpaired: false,
      lostIncome: yuan(finding?.finances?.lostIncome),
      medicalCosts: yuan(finding?.finances?.medicalCosts),
      debts: yuan(finding?.finances?.debts),
      financeNotes: finding?.financesUnknownReason ?? '',
      severity: 'medium',
      reviewOn: dateFromToday(DEFAULT_REVIEW_DAYS),
      maintainerId: '',
      basis: 'consent',
      health: newConsentDraft(t('consent.defaultScope.health')),
      legalBasis: 'protect_life_health_emergency',
      legalNote: '',
      sharing: false,
      share: newConsentDraft(t('consent.defaultScope.sharing')),
    });
  }

  const register = useMutation({
    mutationFn: (input: CreateCaseInput) => post<CaseView>('/api/v1/cases', input, { 'idempotency-key': idempotencyKey }),
    // The next step of a new case is its team (P3.1): the case opens on the team tab with the form open.
    onSuccess: (created) => navigate(caseLink(created.id, 'team'), { replace: true }),
  });

  if (lead.isPending || (customerId !== undefined && customer.isPending)) return <Loading />;
  const l = lead.data;
  if (!l || !c || !draft) {
    return (
      <div className="page">
        <ErrorNotice error={lead.error ?? customer.error} />
        {l && !l.customer && <p className="notice notice-info">{t('cases.register.needsCustomer')}</p>}
        <Link to={`/leads/${encodeURIComponent(id)}`}>{t('cases.register.backToLead')}</Link>
      </div>
    );
  }
  if (l.status !== 'confirmed') {
    return (
      <div className="page">
        <p className="notice notice-info">{t('cases.register.notConfirmed')}</p>
        <Link to={`/leads/${encodeURIComponent(id)}`}>{t('cases.register.backToLead')}</Link>
      </div>
    );
  }

  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const amountsValid = [draft.lostIncome, draft.medicalCosts, draft.debts].every((v) => yuanToMoney(v) !== undefined);
  // The server asks for a note of at least five characters with a legal basis.
  const consentOk = draft.basis === 'consent' ? consentReady(draft.health) : draft.legalNote.trim().length >= 5;
  const ready =
    draft.category !== '' &&
    draft.description.trim() !== '' &&
    draft.reviewOn !== '' &&
    amountsValid &&
    consentOk &&
    (!draft.sharing || consentReady(draft.share));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) register.mutate(toInput(l.id, draft, c.name, l.partner?.id ?? null, user.id));
  };

  return (
    <div className="page page-form">
      <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <Link to="/leads">{t('nav.leadInbox')}</Link>
        <span aria-hidden="true">/</span>
        <Link to={`/leads/${encodeURIComponent(l.id)}`}>{c.name}</Link>
        <span aria-hidden="true">/</span>
        <span>{t('cases.register.crumb')}</span>
      </nav>
      <header className="page-header">
        <div>
          <h1>{t('cases.register.title')}</h1>
          <p className="page-sub">{t('cases.register.intro')}</p>
        </div>
      </header>

      <form className="form" onSubmit={submit} data-testid="registration-form">
        <Section n={1} title={t('cases.section.basic')}>
          <dl className="facts facts-4 compact">
            <div>
              <dt>{t('customers.field.customerNumber')}</dt>
              <dd className="mono">{c.customerNumber}</dd>
            </div>
            <div>
              <dt>{t('customers.field.gender')}</dt>
              <dd>{t(`gender.${c.gender}`)}</dd>
            </div>
            <div>
              <dt>{t('customers.field.dateOfBirth')}</dt>
              <dd className="mono">{c.dateOfBirth ?? t('common.none')}</dd>
            </div>
            <div>
              <dt>{t('customers.field.branch')}</dt>
              <dd>{branchName(c.branchId)}</dd>
            </div>
            <div>
              <dt>{t('customers.field.nationalId')}</dt>
              <dd className="mono">{c.nationalIdMasked ?? t('common.none')}</dd>
            </div>
          </dl>
          <p className="field-hint">{t('cases.register.correctionsHint')}</p>
          <div className="grid-3">
            <Field
              label={t('customers.field.name')}
              value={draft.name}
              onChange={(e) => set({ name: e.target.value })}
              maxLength={100}
              required
              data-testid="case-name"
            />
            <Field
              label={t('cases.field.phoneCorrection')}
              value={draft.phone}
              onChange={(e) => set({ phone: e.target.value })}
              placeholder={c.phoneMasked ?? ''}
              maxLength={40}
              inputMode="tel"
              autoComplete="off"
              hint={t('cases.register.keepIfEmpty')}
            />
            <Field
              label={t('cases.field.addressCorrection')}
              value={draft.address}
              onChange={(e) => set({ address: e.target.value })}
              placeholder={c.addressMasked ?? ''}
              maxLength={300}
              autoComplete="off"
              hint={t('cases.register.keepIfEmpty')}
            />
          </div>
        </Section>

        <Section n={2} title={t('cases.section.condition')}>
          <div className="grid-2 tight">
            <ConditionSelect value={draft.category} onChange={(category) => set({ category })} testId="case-category" />
            <div className="field">
              <span className="field-label">{t('cases.field.discoveryChannel')}</span>
              <p className="readonly" data-testid="case-discovery-channel">
                {t(`leads.channel.${l.channel}`)}
                {l.partner ? ` · ${l.partner.name}` : ''}
              </p>
            </div>
          </div>
          <div className="field">
            <label htmlFor={descId}>{t('cases.field.description')}</label>
            <textarea
              id={descId}
              rows={3}
              value={draft.description}
              onChange={(e) => set({ description: e.target.value })}
              maxLength={4000}
              required
              data-testid="case-description"
            />
          </div>
          <div className="grid-3">
            <Field
              label={t('cases.field.diagnosedOn')}
              type="date"
              value={draft.diagnosedOn}
              onChange={(e) => set({ diagnosedOn: e.target.value })}
              data-testid="case-diagnosed-on"
            />
            <Field
              label={t('cases.field.hospital')}
              value={draft.hospital}
              onChange={(e) => set({ hospital: e.target.value })}
              maxLength={200}
              data-testid="case-hospital"
            />
            <YesNo
              legend={t('cases.field.mobilityImpaired')}
              value={draft.mobilityImpaired}
              onChange={(v) => set({ mobilityImpaired: v })}
              name="case-mobility"
            />
          </div>
        </Section>

        <Section n={3} title={t('cases.section.finances')}>
          <div className="grid-3">
            <MoneyField
              label={t('cases.field.lostIncome')}
              value={draft.lostIncome}
              onChange={(v) => set({ lostIncome: v })}
              testId="case-lost-income"
            />
            <MoneyField
              label={t('cases.field.expectedMedicalCosts')}
              value={draft.medicalCosts}
              onChange={(v) => set({ medicalCosts: v })}
              testId="case-medical-costs"
            />
            <MoneyField label={t('cases.field.debts')} value={draft.debts} onChange={(v) => set({ debts: v })} testId="case-debts" />
          </div>
          <div className="field">
            <label htmlFor={notesId}>{t('cases.field.financeNotes')}</label>
            <textarea
              id={notesId}
              rows={2}
              value={draft.financeNotes}
              onChange={(e) => set({ financeNotes: e.target.value })}
              maxLength={2000}
            />
          </div>
        </Section>

        <Section n={4} title={t('cases.section.assessment')}>
          <div className="grid-3">
            <SeverityChoice value={draft.severity} onChange={(severity) => set({ severity })} />
            <Field
              label={t('cases.field.reviewOn')}
              type="date"
              value={draft.reviewOn}
              onChange={(e) => set({ reviewOn: e.target.value })}
              min={dateFromToday(0)}
              required
              hint={t('cases.register.reviewHint')}
              data-testid="case-review-on"
            />
            <ColleagueSelect
              label={t('cases.field.maintainer')}
              value={draft.maintainerId}
              onChange={(maintainerId) => set({ maintainerId })}
              emptyLabel={t('cases.register.maintainerSelf')}
              testId="case-maintainer"
            />
          </div>
        </Section>

        <Section n={5} title={t('cases.section.consent')}>
          <p className="field-hint">{t('cases.register.consentIntro')}</p>
          <div className="segmented" role="radiogroup" aria-label={t('cases.section.consent')}>
            {(['consent', 'legal'] as const).map((b) => (
              <label key={b} className="segment">
                <input
                  type="radio"
                  name="consent-basis"
                  checked={draft.basis === b}
                  onChange={() => set({ basis: b })}
                  data-testid={`case-basis-${b}`}
                />
                <span>{t(`cases.register.basis.${b}`)}</span>
              </label>
            ))}
          </div>
          {draft.basis === 'consent' ? (
            <ConsentFields value={draft.health} onChange={(health) => set({ health })} testId="consent-health" />
          ) : (
            <div className="grid-2 tight">
              <div className="field">
                <label htmlFor={legalId}>{t('consent.field.legalBasis')}</label>
                <select
                  id={legalId}
                  value={draft.legalBasis}
                  onChange={(e) => set({ legalBasis: LEGAL_BASES.find((b) => b === e.target.value) ?? 'other_statutory' })}
                >
                  {LEGAL_BASES.map((b) => (
                    <option key={b} value={b}>
                      {t(`consent.legalBasis.${b}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={legalNoteId}>{t('consent.field.legalNote')}</label>
                <textarea
                  id={legalNoteId}
                  rows={2}
                  value={draft.legalNote}
                  onChange={(e) => set({ legalNote: e.target.value })}
                  maxLength={2000}
                  required
                />
              </div>
            </div>
          )}
          {l.partner && (
            <div className="subsection">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.sharing}
                  onChange={(e) => set({ sharing: e.target.checked })}
                  data-testid="case-sharing"
                />
                <span>{t('cases.register.sharingWith', { partner: l.partner.name })}</span>
              </label>
              {draft.sharing && <ConsentFields value={draft.share} onChange={(share) => set({ share })} testId="consent-share" />}
            </div>
          )}
        </Section>

        <ErrorNotice error={register.error} />
        <div className="form-actions sticky-actions">
          <p className="field-hint">{t('cases.register.encryptedHint')}</p>
          <Link to={`/leads/${encodeURIComponent(l.id)}`} className="button button-ghost">
            {t('common.cancel')}
          </Link>
          <button type="submit" className="button button-primary" disabled={!ready || register.isPending} data-testid="case-submit">
            {register.isPending ? t('cases.register.submitting') : t('cases.register.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
