import { useTranslation } from 'react-i18next';
import type { LeadStatus, LeadSummary, MatchStrength, StaffRef } from '../../api/types';
import { formatInstant } from '../../i18n/format';

/** A lead's status as a coloured label; the colour repeats what the word says. */
export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-lead-${status}`} data-testid="lead-status">
      {t(`leads.status.${status}`)}
    </span>
  );
}

/** How the lead was matched to a customer, and how sure that is; "unmatched" says so plainly. */
export function MatchBadge({ match }: { match: LeadSummary['match'] }) {
  const { t } = useTranslation();
  if (!match) {
    return (
      <span className="badge badge-unmatched" data-testid="lead-match">
        {t('leads.match.unmatched')}
      </span>
    );
  }
  const strength: MatchStrength = match.strength;
  return (
    <span className="match" data-testid="lead-match">
      <span className={`badge badge-strength-${strength}`}>{t(`leads.match.strength.${strength}`)}</span>
      <span className="muted">{t(`leads.match.method.${match.method}`, { defaultValue: match.method })}</span>
    </span>
  );
}

/** The verification deadline; an overdue one is red and says "overdue" in words too. */
export function DueCell({ dueAt, overdue, open }: { dueAt: string | null; overdue: boolean; open: boolean }) {
  const { t, i18n } = useTranslation();
  if (!dueAt || !open) return <span className="muted">{t('common.none')}</span>;
  return (
    <span className={overdue ? 'due due-overdue' : 'due'}>
      <span className="nowrap">{formatInstant(dueAt, i18n.language)}</span>
      {overdue && <span className="badge badge-overdue">{t('leads.overdue')}</span>}
    </span>
  );
}

/** Statuses in which a lead still waits for someone. */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['new', 'in_verification'];

/** The display name of an actor that the API may give as a reference or as a plain name. */
export function actorName(actor: StaffRef | string | null | undefined, fallback: string): string {
  if (!actor) return fallback;
  return typeof actor === 'string' ? actor : actor.displayName;
}

/**
 * A lead history entry's details in words: channel, match, recommendation, previous status and
 * the like are translated; internal ids are left out (the entry's action already says what).
 */
export function useHistoryDetail(): (detail: Record<string, unknown>, note: string | undefined) => string {
  const { t } = useTranslation();
  return (detail, note) => {
    const parts: string[] = [];
    const text = (key: string) => (typeof detail[key] === 'string' ? String(detail[key]) : null);
    const channel = text('channel');
    if (channel) parts.push(t(`leads.channel.${channel}`, { defaultValue: channel }));
    const partner = text('partner');
    if (partner) parts.push(partner);
    const strength = text('strength');
    const method = text('method');
    if (strength) parts.push(t(`leads.match.strength.${strength}`, { defaultValue: strength }));
    if (method) parts.push(t(`leads.match.method.${method}`, { defaultValue: method }));
    const recommendation = text('recommendation');
    if (recommendation) parts.push(t(`leads.recommendation.${recommendation}`, { defaultValue: recommendation }));
    const previous = text('previousStatus');
    if (previous) parts.push(t('leads.history.previousStatus', { status: t(`leads.status.${previous}`, { defaultValue: previous }) }));
    const caseNumber = text('caseNumber');
    if (caseNumber) parts.push(caseNumber);
    if (note) parts.push(note);
    return parts.join(' · ');
  };
}
