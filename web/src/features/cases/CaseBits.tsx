import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { CaseView, ConsentRecord, CustomerDetail, LeadView, Severity, UpdateState } from '../../api/types';
import { hasPermission, readsLeadsOfCases } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { formatInstant } from '../../i18n/format';

/** Low / medium / high vulnerability; the colour repeats the word. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return <span className={`badge badge-severity-${severity}`}>{t(`cases.severity.${severity}`)}</span>;
}

/** Where the periodic update stands: quiet when in time, "due" or "overdue" otherwise. */
export function UpdateStateBadge({ state }: { state: UpdateState | null }) {
  const { t } = useTranslation();
  if (state === null) return null;
  if (state === 'ok') return <span className="muted">{t('cases.updateState.ok')}</span>;
  return (
    <span className={state === 'overdue' ? 'badge badge-overdue' : 'badge badge-pending'} data-testid="case-update-state">
      {t(`cases.updateState.${state}`)}
    </span>
  );
}

/** A case's status; closed and purged cases are grey. */
export function CaseStatusBadge({ status }: { status: CaseView['status'] }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-case-${status}`} data-testid="case-status">
      {t(`cases.status.${status}`)}
    </span>
  );
}

/**
 * What the case file refers to by id: the customer's master data (for the basic section) and the
 * lead (for the referring partner's name). Both are optional reads; the file shows without them.
 */
export function useCaseContext(record: CaseView | undefined) {
  const { user } = useSignedIn();
  const customerId = record?.basic.customer.id;
  const leadId = record?.basic.leadId;
  const customer = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => get<CustomerDetail>(`/api/v1/customers/${encodeURIComponent(customerId ?? '')}`),
    enabled: customerId !== undefined && hasPermission(user.roles, 'customer.read'),
    retry: false,
  });
  const lead = useQuery({
    queryKey: ['lead', leadId],
    queryFn: () => get<LeadView>(`/api/v1/leads/${encodeURIComponent(leadId ?? '')}`),
    enabled: leadId !== undefined && readsLeadsOfCases(user.roles),
    retry: false,
  });
  const partnerName = (partnerId: string | null): string | null => {
    if (!partnerId) return null;
    const partner = lead.data?.partner;
    return partner && partner.id === partnerId ? partner.name : null;
  };
  return { customer: customer.data?.customer, lead: lead.data, partnerName };
}

/** The heading of a consent record: what was agreed, and with whom. */
export function useConsentTitle(partnerName: (id: string | null) => string | null): (c: ConsentRecord) => string {
  const { t } = useTranslation();
  return (c) => {
    if (c.kind === 'partner_sharing') {
      return t('consent.kind.sharingWith', { partner: partnerName(c.partnerId) ?? t('consent.partnerUnnamed') });
    }
    return t(`consent.kind.${c.kind}`);
  };
}

/** When, how and on what evidence; for a legal basis, which and why. */
export function useConsentLine(): (c: ConsentRecord) => string {
  const { t, i18n } = useTranslation();
  const none = t('common.none');
  return (c) => {
    if (c.kind === 'legal_basis') {
      const basis = c.basis ? t(`consent.legalBasis.${c.basis}`) : none;
      return c.note ? `${basis} · ${c.note}` : basis;
    }
    return t('consent.summary', {
      at: c.givenAt ? formatInstant(c.givenAt, i18n.language) : none,
      channel: c.channel ? t(`consent.channel.${c.channel}`, { defaultValue: c.channel }) : none,
      evidence: c.evidenceRef ?? none,
    });
  };
}

/** A field name of the version history in words; unknown names are shown as they are. */
export function useFieldLabel(): (field: string) => string {
  const { t, i18n } = useTranslation();
  return (field) => {
    const key = `cases.fieldName.${field.replace(/\./g, '_')}`;
    if (i18n.exists(key)) return t(key);
    const head = `cases.fieldName.${field.split('.')[0] ?? field}`;
    return i18n.exists(head) ? `${t(head)} · ${field.split('.').slice(1).join('.')}` : field;
  };
}
