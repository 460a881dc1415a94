import type { z } from 'zod';
import type { AuditEventSchema, VerifyResponse } from '../../../src/features/audit/audit.schemas.js';
import type {
  CustomerPage,
  CustomerSummary as CustomerSummarySchema,
  Money as MoneySchema,
  RevealableField,
  RevealResponse,
  SearchBody,
} from '../../../src/features/customers/customers.schemas.js';
import type { LeadStatus } from '../../../src/domain/lead-lifecycle.js';
import type { MatchStrength } from '../../../src/domain/lead-matching.js';
import type { Role } from '../../../src/domain/roles.js';
import type { CloseReason, Severity } from '../../../src/domain/case-rules.js';
import type {
  CaseListResponse,
  CaseSummary as CaseSummarySchema,
  CaseView as CaseViewSchema,
  ConditionListResponse,
  ConsentBody,
  RegisterBody,
  UpdateBody,
} from '../../../src/features/cases/cases.schemas.js';
import type {
  CheckBody,
  CreateLeadBody,
  DecisionBody,
  LeadChannel,
  LeadSummarySchema,
  LeadViewSchema,
} from '../../../src/features/leads/leads.schemas.js';
import type {
  CreatePartnerBody,
  IssuedKeyResponse,
  PartnerListResponse,
  PartnerSchema,
  UpdatePartnerBody,
} from '../../../src/features/partners/partners.schemas.js';
import type {
  BranchSchema,
  CreateStaffBody,
  CreateStaffResponse,
  LoginResponse,
  PasswordResetResponse,
  RoleRequestListResponse,
  RoleRequestView,
  StaffListResponse,
  StaffSchema,
  TotpEnrolResponse,
  UpdateStaffBody,
  UpdateStaffResponse,
} from '../../../src/features/staff/staff.schemas.js';

// Type-only imports: the server's Zod schemas stay the one source of truth and no server code
// reaches the bundle.
export type { Role } from '../../../src/domain/roles.js';

/** The sign-in and `/auth/me` answer. */
export type Session = z.output<typeof LoginResponse>;
export type User = Session['user'];
export type Branch = z.output<typeof BranchSchema>;
export type Staff = z.output<typeof StaffSchema>;
export type StaffList = z.output<typeof StaffListResponse>;
export type CreateStaffInput = z.input<typeof CreateStaffBody>;
export type CreateStaffResult = z.output<typeof CreateStaffResponse>;
export type UpdateStaffInput = z.input<typeof UpdateStaffBody>;
export type UpdatedStaff = z.output<typeof UpdateStaffResponse>;
export type RoleRequest = z.output<typeof RoleRequestView>;
export type RoleRequestList = z.output<typeof RoleRequestListResponse>;
export type PasswordReset = z.output<typeof PasswordResetResponse>;
export type TotpEnrolment = z.output<typeof TotpEnrolResponse>;

/** A list page (API.md "Lists"). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Money in integer minor units (API.md "Conventions"). */
export type Money = z.output<typeof MoneySchema>;

/** Search criteria: identifiers travel only in this POST body, never in a URL. */
export type CustomerSearchInput = Omit<z.input<typeof SearchBody>, 'limit'>;
export type CustomerSummary = z.output<typeof CustomerSummarySchema>;
export type CustomerDetail = z.output<typeof CustomerPage>;
export type Customer = CustomerDetail['customer'];
export type Holding = CustomerDetail['holdings'][number];
/** One day of the 90-day cash flow, in CNY minor units. */
export type CashflowDay = CustomerDetail['cashflow'][number];
export type RiskLevel = Holding['riskLevel'];
export type RevealResult = z.output<typeof RevealResponse>;
export type { RevealableField };

/** The risk levels of wealth products, lowest first. */
export const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const satisfies readonly RiskLevel[];

export type AuditEvent = z.output<typeof AuditEventSchema>;
export type AuditVerifyResult = z.output<typeof VerifyResponse>;

// ---------- Leads, cases and partners (issue 3) ----------
// CONTRACT-TYPES: written from the brief while the server's schemas are being written; replaced by
// `z.output<typeof …>` of src/features/{leads,cases,partners}/*.schemas.ts once they exist.

export const LEAD_CHANNELS = ['self_report', 'hospital', 'analysis', 'external'] as const satisfies readonly LeadChannel[];
export type { LeadChannel };
export const LEAD_STATUSES = [
  'new',
  'in_verification',
  'confirmed',
  'rejected',
  'duplicate',
  'registered',
] as const satisfies readonly LeadStatus[];
export type { LeadStatus, MatchStrength };

/** A staff member as other records name them. */
export interface StaffRef {
  id: string;
  displayName: string;
}

export type LeadSummary = z.output<typeof LeadSummarySchema>;
export type LeadView = z.output<typeof LeadViewSchema>;
export type CreateLeadInput = z.input<typeof CreateLeadBody>;
export type LeadCheckInput = z.input<typeof CheckBody>;
export type LeadDecisionInput = z.input<typeof DecisionBody>;

export type ConditionCategoryView = z.output<typeof ConditionListResponse>['items'][number];
export type ConditionGroupCode = ConditionCategoryView['group'];

export const CONSENT_CHANNELS = ['paper', 'electronic', 'recorded_call', 'hospital'] as const satisfies readonly ConsentChannel[];
export type ConsentChannel = NonNullable<CreateCaseInput['consent']['healthProcessing']>['channel'];
export const LEGAL_BASES = ['protect_life_health_emergency', 'other_statutory'] as const satisfies readonly LegalBasis[];
export type LegalBasis = NonNullable<CreateCaseInput['consent']['legalBasis']>['basis'];
export const SEVERITIES = ['low', 'medium', 'high'] as const satisfies readonly Severity[];
export type { CloseReason, Severity };
export const CLOSE_REASONS = ['recovered', 'deceased', 'customer_request', 'no_longer_eligible'] as const satisfies readonly CloseReason[];

/** The registration form's body (P2.3.3). */
export type CreateCaseInput = z.input<typeof RegisterBody>;
export type UpdateCaseInput = z.input<typeof UpdateBody>;
export type AddConsentInput = z.input<typeof ConsentBody>;
export type CaseView = z.output<typeof CaseViewSchema>;
export type CaseSummary = z.output<typeof CaseSummarySchema>;
export type CaseList = z.output<typeof CaseListResponse>;
export type ConsentRecord = CaseView['consent']['records'][number];
export type CaseHistoryEntry = CaseView['history'][number];
export type UpdateState = NonNullable<CaseSummary['updateState']>;

export type Partner = z.output<typeof PartnerSchema>;
export type PartnerKey = Partner['keys'][number];
export type PartnerList = z.output<typeof PartnerListResponse>;
export type CreatePartnerInput = z.input<typeof CreatePartnerBody>;
export type UpdatePartnerInput = z.input<typeof UpdatePartnerBody>;
export type PartnerKeySecret = z.output<typeof IssuedKeyResponse>;

/** A colleague of the reader's branch, as the pickers list them. */
export interface Colleague {
  id: string;
  displayName: string;
  roles: Role[];
}
