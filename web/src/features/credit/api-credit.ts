import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  EmergencyLoanView,
  RestructuringPreviewBody,
  RestructuringView,
  ShortfallView,
} from '../../../../src/features/credit/emergency-loan.schemas.js';
import { get } from '../../api/client';

export { RESTRUCTURING_CHANGES } from '../../../../src/domain/service-catalogue.js';

/** The credit API's shapes (emergency-loan.schemas.ts), as the pages read them. */
export type Shortfall = z.output<typeof ShortfallView>;
export type EmergencyLoan = z.output<typeof EmergencyLoanView>;
export type Restructuring = z.output<typeof RestructuringView>;
export type RestructuringPreview = z.input<typeof RestructuringPreviewBody>;

/** A case's shortfall and what an emergency loan may be (reading the finances is audited). */
export function useShortfall(caseId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['credit', 'shortfall', caseId],
    queryFn: () => get<Shortfall>(`/api/v1/cases/${encodeURIComponent(caseId)}/emergency-loan/shortfall`),
    enabled,
    retry: false,
  });
}

/** An emergency loan request as its case's team sees it. */
export function useEmergencyLoan(requestId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['credit', 'emergency-loan', requestId],
    queryFn: () => get<EmergencyLoan>(`/api/v1/service-requests/${encodeURIComponent(requestId)}/emergency-loan`),
    enabled,
    retry: false,
  });
}

/** A restructuring request's old and new schedules. */
export function useRestructuring(requestId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['credit', 'restructuring', requestId],
    queryFn: () => get<Restructuring>(`/api/v1/service-requests/${encodeURIComponent(requestId)}/restructuring`),
    enabled,
    retry: false,
  });
}
