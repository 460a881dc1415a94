/**
 * Gentle collection (P7.1.2): how the bank's collection system may contact a customer whose case
 * is active, and whether one contact would break that. Times are the bank's local clock
 * (`offsetMinutes` east of UTC), as the business hours are.
 */

export const COLLECTION_CHANNELS = ['phone', 'sms', 'letter', 'visit'] as const;
export type CollectionChannel = (typeof COLLECTION_CHANNELS)[number];

export interface CollectionTreatment {
  gentle: boolean;
  maxContactsPerWeek: number;
  /** No contact from `from` to `to` (`HH:MM`, local); a span past midnight wraps. */
  quietHours: { from: string; to: string };
  channels: CollectionChannel[];
  /** No contact at all until the end of this day (`YYYY-MM-DD`, local), or null. */
  pausedUntil: string | null;
}

/**
 * The bank's ordinary treatment, answered for customers without an active case: the regulator's
 * night rest (no collection from 22:00 to 08:00) and every channel.
 */
export const STANDARD_TREATMENT: CollectionTreatment = {
  gentle: false,
  maxContactsPerWeek: 7,
  quietHours: { from: '22:00', to: '08:00' },
  channels: [...COLLECTION_CHANNELS],
  pausedUntil: null,
};

/**
 * What a registered case starts with until the risk officer sets it: one contact a week, written
 * channels only (a call can reach someone in treatment), a longer night rest.
 */
export const GENTLE_TREATMENT: CollectionTreatment = {
  gentle: true,
  maxContactsPerWeek: 1,
  quietHours: { from: '20:00', to: '09:00' },
  channels: ['sms', 'letter'],
  pausedUntil: null,
};

export type ContactRefusal = 'paused' | 'quiet_hours' | 'channel' | 'weekly_limit';

/** Minutes since local midnight of `HH:MM`. */
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when the local time of day falls in the quiet span (both ends wrap past midnight). */
export function inQuietHours(quiet: { from: string; to: string }, minuteOfDay: number): boolean {
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return false;
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}

/**
 * Whether a contact at `at` through `channel` keeps to the treatment, given how many contacts the
 * seven days before it already had; the first rule broken when not.
 */
export function checkContact(
  t: CollectionTreatment,
  contact: { channel: CollectionChannel; at: Date; contactsInPastWeek: number },
  offsetMinutes: number,
): ContactRefusal | null {
  const local = new Date(contact.at.getTime() + offsetMinutes * 60_000);
  const day = local.toISOString().slice(0, 10);
  if (t.pausedUntil !== null && day <= t.pausedUntil) return 'paused';
  if (!t.channels.includes(contact.channel)) return 'channel';
  if (inQuietHours(t.quietHours, local.getUTCHours() * 60 + local.getUTCMinutes())) return 'quiet_hours';
  if (contact.contactsInPastWeek >= t.maxContactsPerWeek) return 'weekly_limit';
  return null;
}
