import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post, request } from '../../api/client';
import {
  type AddConsentInput,
  CLOSE_REASONS,
  type CaseView,
  type CloseReason,
  CONSENT_CHANNELS,
  type ConsentChannel,
  type Severity,
  type UpdateCaseInput,
} from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { ConditionSelect, MoneyField, SeverityChoice, YesNo } from './CaseFields';
import { useRefreshCase } from './caseLinks';
import { type ConsentDraft, ConsentFields, consentGrant, consentReady, newConsentDraft } from './ConsentFields';
import { minorToYuanText, yuanToMoney } from './money';

/**
 * Edits the case file with the ETag read with it (If-Match): a change made meanwhile by a
 * colleague is never overwritten; a 412 asks to reload instead.
 */
export function EditCaseDialog({
  record,
  etag,
  onClose,
  onReload,
}: {
  record: CaseView;
  etag: string | null;
  onClose: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const invalidate = useRefreshCase(record.id);
  const descId = useId();
  const notesId = useId();
  const money = (m: { amountMinor: number } | null | undefined) => (m ? minorToYuanText(m.amountMinor) : '');
  const [form, setForm] = useState({
    severity: record.basic.severity,
    reviewOn: record.basic.reviewOn,
    mobilityImpaired: record.basic.mobilityImpaired,
    category: record.condition?.category ?? '',
    description: record.condition?.description ?? '',
    diagnosedOn: record.condition?.diagnosedOn ?? '',
    hospital: record.condition?.hospital ?? '',
    lostIncome: money(record.finances?.lostIncome),
    medicalCosts: money(record.finances?.expectedMedicalCosts),
    debts: money(record.finances?.debts),
    notes: record.finances?.notes ?? '',
  });
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });

  const save = useMutation({
    mutationFn: (body: UpdateCaseInput) =>
      request<CaseView>('PATCH', `/api/v1/cases/${encodeURIComponent(record.id)}`, { body, headers: etag ? { 'if-match': etag } : {} }),
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'PRECONDITION_FAILED';

  // Each section sent replaces the stored one, so a changed section goes whole; the server
  // records which fields actually changed.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: UpdateCaseInput = {};
    const b = record.basic;
    if (form.severity !== b.severity) body.severity = form.severity;
    if (form.reviewOn !== b.reviewOn) body.reviewOn = form.reviewOn;
    if (form.mobilityImpaired !== b.mobilityImpaired) body.mobilityImpaired = form.mobilityImpaired;
    const c = record.condition;
    if (c) {
      const changed =
        form.category !== c.category ||
        form.description.trim() !== c.description ||
        form.diagnosedOn !== (c.diagnosedOn ?? '') ||
        form.hospital.trim() !== (c.hospital ?? '');
      if (changed) {
        body.condition = {
          // The select only offers the server's own codes; the cast names that contract.
          category: form.category as NonNullable<UpdateCaseInput['condition']>['category'],
          description: form.description.trim(),
          ...(form.diagnosedOn ? { diagnosedOn: form.diagnosedOn } : {}),
          ...(form.hospital.trim() ? { hospital: form.hospital.trim() } : {}),
        };
      }
    }
    const f = record.finances;
    if (f) {
      const next: NonNullable<UpdateCaseInput['financialImpact']> = {};
      const lost = yuanToMoney(form.lostIncome);
      const medical = yuanToMoney(form.medicalCosts);
      const debts = yuanToMoney(form.debts);
      if (lost) next.lostIncome = lost;
      if (medical) next.expectedMedicalCosts = medical;
      if (debts) next.debts = debts;
      if (form.notes.trim()) next.notes = form.notes.trim();
      const same = (a: { amountMinor: number } | null | undefined, b2: { amountMinor: number } | null | undefined) =>
        (a?.amountMinor ?? null) === (b2?.amountMinor ?? null);
      const changed =
        !same(next.lostIncome, f.lostIncome) ||
        !same(next.expectedMedicalCosts, f.expectedMedicalCosts) ||
        !same(next.debts, f.debts) ||
        (next.notes ?? null) !== f.notes;
      if (changed) body.financialImpact = next;
    }
    if (Object.keys(body).length > 0) save.mutate(body);
    else onClose();
  };
  const amountsValid = [form.lostIncome, form.medicalCosts, form.debts].every((v) => yuanToMoney(v) !== undefined);

  return (
    <Dialog title={t('cases.edit.title', { caseNumber: record.caseNumber })} onClose={onClose} wide>
      {stale ? (
        <ErrorNotice error={save.error}>
          <p>{t('cases.edit.staleHint')}</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              onReload();
              onClose();
            }}
            data-testid="case-reload"
          >
            {t('common.reload')}
          </button>
        </ErrorNotice>
      ) : (
        <ErrorNotice error={save.error} />
      )}
      <form className="form" onSubmit={submit} data-testid="case-edit-form">
        <div className="grid-3">
          <SeverityChoice value={form.severity} onChange={(severity: Severity) => set({ severity })} />
          <Field
            label={t('cases.field.reviewOn')}
            type="date"
            value={form.reviewOn}
            onChange={(e) => set({ reviewOn: e.target.value })}
            required
          />
          <YesNo
            legend={t('cases.field.mobilityImpaired')}
            value={form.mobilityImpaired}
            onChange={(v) => set({ mobilityImpaired: v })}
            name="edit-mobility"
          />
        </div>
        {record.condition && (
          <>
            <h3>{t('cases.section.condition')}</h3>
            <div className="grid-2 tight">
              <ConditionSelect value={form.category} onChange={(category) => set({ category })} />
              <Field
                label={t('cases.field.diagnosedOn')}
                type="date"
                value={form.diagnosedOn}
                onChange={(e) => set({ diagnosedOn: e.target.value })}
              />
              <Field
                label={t('cases.field.hospital')}
                value={form.hospital}
                onChange={(e) => set({ hospital: e.target.value })}
                maxLength={200}
              />
            </div>
            <div className="field">
              <label htmlFor={descId}>{t('cases.field.description')}</label>
              <textarea
                id={descId}
                rows={3}
                value={form.description}
                onChange={(e) => set({ description: e.target.value })}
                maxLength={4000}
                required
              />
            </div>
          </>
        )}
        {record.finances && (
          <>
            <h3>{t('cases.section.finances')}</h3>
            <div className="grid-3">
              <MoneyField label={t('cases.field.lostIncome')} value={form.lostIncome} onChange={(v) => set({ lostIncome: v })} />
              <MoneyField
                label={t('cases.field.expectedMedicalCosts')}
                value={form.medicalCosts}
                onChange={(v) => set({ medicalCosts: v })}
              />
              <MoneyField label={t('cases.field.debts')} value={form.debts} onChange={(v) => set({ debts: v })} />
            </div>
            <div className="field">
              <label htmlFor={notesId}>{t('cases.field.financeNotes')}</label>
              <textarea id={notesId} rows={2} value={form.notes} onChange={(e) => set({ notes: e.target.value })} maxLength={2000} />
            </div>
          </>
        )}
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={save.isPending || stale || !amountsValid}
            data-testid="case-edit-save"
          >
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Records a further consent: health processing again, or sharing with the referring partner. */
export function AddConsentDialog({
  caseId,
  partner,
  onClose,
}: {
  caseId: string;
  partner: { id: string; name: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const invalidate = useRefreshCase(caseId);
  const [kind, setKind] = useState<'health_processing' | 'partner_sharing'>('health_processing');
  const [draft, setDraft] = useState<ConsentDraft>(() => newConsentDraft(t('consent.defaultScope.health')));
  const add = useMutation({
    mutationFn: () => {
      const body: AddConsentInput =
        kind === 'partner_sharing' && partner
          ? { kind, partnerId: partner.id, ...consentGrant(draft) }
          : { kind: 'health_processing', ...consentGrant(draft) };
      return post(`/api/v1/cases/${encodeURIComponent(caseId)}/consents`, body);
    },
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  const choose = (k: typeof kind) => {
    setKind(k);
    setDraft({ ...draft, scope: t(k === 'health_processing' ? 'consent.defaultScope.health' : 'consent.defaultScope.sharing') });
  };
  return (
    <Dialog title={t('consent.add.title')} onClose={onClose} wide>
      <ErrorNotice error={add.error} />
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <div className="segmented" role="radiogroup" aria-label={t('consent.field.kind')}>
          <label className="segment">
            <input type="radio" name="consent-kind" checked={kind === 'health_processing'} onChange={() => choose('health_processing')} />
            <span>{t('consent.kind.health_processing')}</span>
          </label>
          {partner && (
            <label className="segment">
              <input type="radio" name="consent-kind" checked={kind === 'partner_sharing'} onChange={() => choose('partner_sharing')} />
              <span>{t('consent.kind.sharingWith', { partner: partner.name })}</span>
            </label>
          )}
        </div>
        <ConsentFields value={draft} onChange={setDraft} testId="consent-add" />
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={!consentReady(draft) || add.isPending}>
            {t('consent.add.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A withdrawal takes effect at once: sharing stops, the case stays and is flagged. */
export function WithdrawConsentDialog({ caseId, consentId, onClose }: { caseId: string; consentId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useRefreshCase(caseId);
  const channelId = useId();
  const noteId = useId();
  const [channel, setChannel] = useState<ConsentChannel>('paper');
  const [note, setNote] = useState('');
  const withdraw = useMutation({
    mutationFn: () =>
      post(`/api/v1/cases/${encodeURIComponent(caseId)}/consents/${encodeURIComponent(consentId)}/withdraw`, {
        channel,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  return (
    <Dialog title={t('consent.withdraw.title')} onClose={onClose}>
      <p className="notice notice-info">{t('consent.withdraw.intro')}</p>
      <ErrorNotice error={withdraw.error} />
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          withdraw.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={channelId}>{t('consent.field.channel')}</label>
          <select
            id={channelId}
            value={channel}
            onChange={(e) => setChannel(CONSENT_CHANNELS.find((c) => c === e.target.value) ?? 'paper')}
          >
            {CONSENT_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`consent.channel.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={noteId}>{t('consent.field.note')}</label>
          <textarea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </div>
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-danger" disabled={withdraw.isPending} data-testid="consent-withdraw-submit">
            {t('consent.withdraw.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Closing needs one of the four reasons of the policy; the file stays, read-only. */
export function CloseCaseDialog({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useRefreshCase(caseId);
  const reasonId = useId();
  const noteId = useId();
  const waiversId = useId();
  const [reason, setReason] = useState<CloseReason | ''>('');
  const [note, setNote] = useState('');
  // P4.2.1: the supervisor confirms the day the case's fee relief ends; today unless they change it.
  const [waiversEndOn, setWaiversEndOn] = useState(() => new Date().toLocaleDateString('sv-SE'));
  const close = useMutation({
    mutationFn: () =>
      post(`/api/v1/cases/${encodeURIComponent(caseId)}/close`, {
        reason,
        waiversEndOn,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  return (
    <Dialog title={t('cases.close.title')} onClose={onClose}>
      <ErrorNotice error={close.error} />
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          close.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={reasonId}>{t('cases.close.reason')}</label>
          <select id={reasonId} value={reason} onChange={(e) => setReason(CLOSE_REASONS.find((r) => r === e.target.value) ?? '')} required>
            <option value="" disabled>
              {t('staff.choose')}
            </option>
            {CLOSE_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`cases.closeReason.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={noteId}>{t('cases.close.note')}</label>
          <textarea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </div>
        <div className="field">
          <label htmlFor={waiversId}>{t('cases.close.waiversEndOn')}</label>
          <input id={waiversId} type="date" value={waiversEndOn} onChange={(e) => setWaiversEndOn(e.target.value)} required />
          <p className="field-hint">{t('cases.close.waiversHint')}</p>
        </div>
        <p className="field-hint">{t('cases.close.hint')}</p>
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-danger" disabled={!reason || close.isPending}>
            {t('cases.close.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
