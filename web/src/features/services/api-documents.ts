import { useQuery } from '@tanstack/react-query';
import { get, request } from '../../api/client';

// The API of a service request's page: the request, its checklist, the summary a customer signs
// and the signatures (API: /api/v1/service-requests/:id…, docs/service-documents.md).

/** The languages the server renders a summary in. */
export type SummaryLocale = 'zh-CN' | 'en';

/** The summary language for the reader's language. */
export function summaryLocaleOf(language: string): SummaryLocale {
  return language.startsWith('zh') ? 'zh-CN' : 'en';
}

export interface StaffRef {
  id: string;
  displayName: string;
}

/** A request as its page shows it (the fields the page reads). */
export interface ServiceRequestView {
  id: string;
  type: string;
  status: 'requested' | 'in_review' | 'approved' | 'rejected' | 'in_progress' | 'completed' | 'cancelled';
  case: { id: string; caseNumber: string; customerName: string };
  requestedBy: StaffRef | null;
  requestedAt: string;
  assignee: StaffRef | null;
  dueAt: string;
  standardDueAt: string;
  overdue: boolean;
  completedAt: string | null;
  version: number;
  /** True for readers of the case's confidential sections (its team, the branch's supervisors). */
  sensitiveVisible: boolean;
}

export interface ServiceTypeName {
  code: string;
  name: { zh: string; en: string };
}

export interface ChecklistItem {
  code: string;
  zh: string;
  en: string;
  ticked: { by: StaffRef | null; at: string; evidenceRef: string | null } | null;
  scan: { contentType: string; sizeBytes: number; sha256: string; uploadedBy: StaffRef | null; uploadedAt: string | null } | null;
}
export interface DocumentList {
  requestId: string;
  reduced: boolean;
  items: ChecklistItem[];
}

export interface Summary {
  locale: SummaryLocale;
  text: string;
  sha256: string;
}

export interface Signature {
  id: string;
  kind: 'on_device' | 'remote_video';
  status: 'valid' | 'voided';
  voidReason: string | null;
  voidedAt: string | null;
  locale: SummaryLocale;
  summarySha256: string;
  currentSha256: string;
  summaryText: string;
  imagePng: string | null;
  witness: StaffRef | null;
  signedAt: string;
  place: string | null;
  videoSessionRef: string | null;
  spokenConsentRef: string | null;
}

export interface ScanDownload {
  fileName: string | null;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  contentBase64: string;
}

const base = (id: string) => `/api/v1/service-requests/${encodeURIComponent(id)}`;

/** The request, its checklist, its summary in the reader's language and its signatures. */
export function useServiceRequest(id: string, locale: SummaryLocale) {
  const view = useQuery({ queryKey: ['service-request', id], queryFn: () => get<ServiceRequestView>(base(id)), staleTime: 0 });
  const types = useQuery({
    queryKey: ['service-types'],
    queryFn: () => get<{ items: ServiceTypeName[] }>('/api/v1/service-types'),
    staleTime: 60_000,
  });
  const documents = useQuery({ queryKey: ['service-request', id, 'documents'], queryFn: () => get<DocumentList>(`${base(id)}/documents`) });
  const summary = useQuery({
    queryKey: ['service-request', id, 'summary', locale],
    queryFn: () => get<Summary>(`${base(id)}/summary?locale=${locale}`),
    staleTime: 0,
  });
  const signatures = useQuery({
    queryKey: ['service-request', id, 'signatures'],
    queryFn: () => get<{ items: Signature[] }>(`${base(id)}/signatures`),
    retry: false,
  });
  return { view, types, documents, summary, signatures };
}

/** Ticks an item with the evidence seen. */
export async function tickItem(id: string, code: string, evidenceRef: string): Promise<DocumentList> {
  return (await request<DocumentList>('PUT', `${base(id)}/documents/${encodeURIComponent(code)}`, { body: { evidenceRef } })).data;
}

/** Unticks an item (its scan goes with it). */
export async function untickItem(id: string, code: string): Promise<DocumentList> {
  return (await request<DocumentList>('DELETE', `${base(id)}/documents/${encodeURIComponent(code)}`)).data;
}

/** The scan's path, with the file's name. */
export function scanPath(id: string, code: string, name?: string): string {
  return `${base(id)}/documents/${encodeURIComponent(code)}/scan${name ? `?name=${encodeURIComponent(name)}` : ''}`;
}

/** Downloads a scan (an audited read) and hands it to the browser as a file. */
export async function downloadScan(id: string, code: string): Promise<void> {
  const scan = await get<ScanDownload>(scanPath(id, code));
  const bytes = Uint8Array.from(atob(scan.contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: scan.contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = scan.fileName ?? `${code}.${scan.contentType.split('/')[1] ?? 'bin'}`;
  a.click();
  URL.revokeObjectURL(url);
}

/** The body of a signature. */
export type SignBody =
  | { kind: 'on_device'; locale: SummaryLocale; summarySha256: string; imagePng: string; place: string }
  | {
      kind: 'remote_video';
      locale: SummaryLocale;
      summarySha256: string;
      videoSessionRef: string;
      spokenConsentRef: string;
      place?: string;
    };

/** Records the customer's signature of the summary shown. */
export async function sign(id: string, body: SignBody): Promise<Signature> {
  return (await request<Signature>('POST', `${base(id)}/signatures`, { body })).data;
}
