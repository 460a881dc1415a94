import type { z } from 'zod';
import type { AlertListResponse, AlertView, MetricsResponse } from '../../../../src/features/alerts/alerts.schemas.js';
import { get, query, request } from '../../api/client';

export type AlertSummary = z.output<typeof AlertListResponse>['items'][number];
export type AlertDetail = z.output<typeof AlertView>;
export type AlertMetrics = z.output<typeof MetricsResponse>;
export type AlertStatus = AlertSummary['status'];

export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'contacted', 'verified', 'resolved'];
export const CONTACT_CHANNELS = ['phone', 'visit', 'sms', 'message'] as const;
export const CONTACT_OUTCOMES = ['reached', 'not_reached'] as const;
export const RESOLUTIONS = ['legitimate', 'fraud', 'escalated'] as const;

/** A page of the alerts the reader may see, open and oldest first. */
export function listAlerts(q: { status?: AlertStatus; cursor?: string; limit?: number }) {
  return get<z.output<typeof AlertListResponse>>(`/api/v1/alerts${query({ status: q.status, cursor: q.cursor, limit: q.limit ?? 50 })}`);
}

/** One alert with its evidence. */
export function getAlert(id: string) {
  return get<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}`);
}

/** The alert KPIs of alerts raised in [from, to). */
export function alertMetrics(from: string, to: string) {
  return get<AlertMetrics>(`/api/v1/alerts/metrics${query({ from, to })}`);
}

/** The alerts of one case. */
export function caseAlerts(caseId: string) {
  return get<{ items: AlertSummary[] }>(`/api/v1/cases/${encodeURIComponent(caseId)}/alerts`);
}

/** One workflow step, sent with the version the page shows (If-Match). */
export async function alertStep(alert: AlertDetail, step: 'contact' | 'verify' | 'resolve', body: object): Promise<AlertDetail> {
  const res = await request<AlertDetail>('POST', `/api/v1/alerts/${encodeURIComponent(alert.id)}/${step}`, {
    body,
    headers: { 'if-match': `"${alert.version}"` },
  });
  return res.data;
}
