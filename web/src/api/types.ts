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
import type {
  BranchSchema,
  CreateStaffBody,
  CreateStaffResponse,
  LoginResponse,
  PasswordResetResponse,
  StaffListResponse,
  StaffSchema,
  TotpEnrolResponse,
  UpdateStaffBody,
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
