/**
 * The fund-safety alert workflow (P7.2.1) as a pure state machine (docs/alerts.md):
 *
 *   open ──contact (reached)──▶ contacted ──verify──▶ verified ──resolve──▶ resolved
 *    └──contact (not reached)──▶ open   (the attempt is recorded; the alert stays open)
 *
 * Every other step is out of order. A resolved alert never changes again.
 */

export const ALERT_STATUSES = ['open', 'contacted', 'verified', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_RESOLUTIONS = ['legitimate', 'fraud', 'escalated'] as const;
export type AlertResolution = (typeof ALERT_RESOLUTIONS)[number];

/** How the customer was contacted about an alert. */
export const CONTACT_CHANNELS = ['phone', 'visit', 'sms', 'message'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** Whether the contact reached the customer: only a reached customer can confirm or deny the transaction. */
export const CONTACT_OUTCOMES = ['reached', 'not_reached'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export type AlertEvent = { type: 'contact'; outcome: ContactOutcome } | { type: 'verify' } | { type: 'resolve' };

export type AlertTransition = { ok: true; status: AlertStatus } | { ok: false; reason: string };

/** The status after the event, or why the step is out of order. Never throws. */
export function nextAlertStatus(status: AlertStatus, event: AlertEvent): AlertTransition {
  switch (event.type) {
    case 'contact':
      if (status !== 'open') return { ok: false, reason: `the customer of a ${status} alert has already been contacted` };
      return { ok: true, status: event.outcome === 'reached' ? 'contacted' : 'open' };
    case 'verify':
      if (status !== 'contacted') {
        return {
          ok: false,
          reason: status === 'open' ? 'contact the customer before verifying the transaction' : `a ${status} alert cannot be verified`,
        };
      }
      return { ok: true, status: 'verified' };
    case 'resolve':
      if (status !== 'verified') {
        return {
          ok: false,
          reason: status === 'resolved' ? 'the alert is already resolved' : 'verify the transaction before resolving the alert',
        };
      }
      return { ok: true, status: 'resolved' };
    default:
      return { ok: false, reason: 'unknown step' };
  }
}

/** True while an alert still waits for its first successful contact and the contact target has passed. */
export function isContactOverdue(status: AlertStatus, raisedAt: string, now: Date, contactHours: number): boolean {
  return status === 'open' && Date.parse(raisedAt) + contactHours * 3_600_000 < now.getTime();
}

/** The value below which `share` of the sorted values lie (nearest rank); null for no values. */
export function percentile(values: readonly number[], share: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(share * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** Whole minutes between two instants (ISO-8601), rounded down. */
export function minutesBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 60_000);
}
