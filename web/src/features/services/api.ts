import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AccommodationsView,
  CaseWaiverList,
  RequestList,
  RequestSummary,
  RequestView,
  ServiceTypeChangeBody,
  ServiceTypeList,
  ServiceTypeView,
} from '../../../../src/features/services/services.schemas.js';
import { get, query } from '../../api/client';

export { SERVICE_CODES } from '../../../../src/domain/service-catalogue.js';
export { SERVICE_STATUSES } from '../../../../src/domain/service-lifecycle.js';

/** The service API's shapes (services.schemas.ts), as the pages read them. */
export type ServiceType = z.output<typeof ServiceTypeView>;
export type ServiceTypeChange = z.input<typeof ServiceTypeChangeBody>;
export type ServiceRequestSummary = z.output<typeof RequestSummary>;
export type ServiceRequestView = z.output<typeof RequestView>;
export type ServiceRequestList = z.output<typeof RequestList>;
export type Accommodations = z.output<typeof AccommodationsView>;
export type CaseWaivers = z.output<typeof CaseWaiverList>;
export type ServiceField = ServiceType['fields'][number];
export type ServiceStatus = ServiceRequestSummary['status'];
export type ServiceCode = ServiceRequestSummary['type'];

type Accommodation = Accommodations['codes'][number];
/** The accommodations a branch makes at the counter (the schema's list, kept here so the bundle takes no server code). */
export const ACCOMMODATIONS = [
  'priority_window',
  'wheelchair_access',
  'seated_service',
  'home_service',
  'sign_language',
  'large_print',
  'companion_allowed',
  'quiet_room',
] as const satisfies readonly Accommodation[];

/** The filters of the request list (GET /service-requests). */
export interface RequestFilter {
  status?: string;
  type?: string;
  overdue?: 'true';
  view?: 'mine' | 'approval' | 'all';
  limit?: number;
}

/** The service catalogue (every type, on or off). */
export function useServiceTypes() {
  return useQuery({
    queryKey: ['services', 'types'],
    queryFn: async () => (await get<z.output<typeof ServiceTypeList>>('/api/v1/service-types')).items,
    staleTime: 60_000,
  });
}

/** Service requests of the reader's cases or branch, by due time. */
export function useServiceRequests(filter: RequestFilter, enabled = true) {
  return useQuery({
    queryKey: ['services', 'requests', filter],
    queryFn: () => get<ServiceRequestList>(`/api/v1/service-requests${query({ ...filter })}`),
    enabled,
  });
}

/** The address of a request's own page. */
export function requestLink(id: string): string {
  return `/service-requests/${encodeURIComponent(id)}`;
}

/** The address of the form that requests a service for a case. */
export function newRequestLink(caseId: string): string {
  return `/cases/${encodeURIComponent(caseId)}/services/new`;
}
