import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import { text } from '../../platform/http/text.js';

export const RoleSchema = z.enum(ROLES);

/** A user as the API shows it (API.md "Staff sessions"). */
export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  branchId: z.string(),
  branchCode: z.string(),
});

export const LoginBody = z.strictObject({
  username: text({ min: 1, max: 64 }),
  password: z.string().min(1).max(256),
  totp: z.string().max(16).optional(),
});

export const LoginResponse = z.object({
  user: UserSchema,
  csrfToken: z.string(),
  mfaEnrolmentRequired: z.boolean(),
  mustChangePassword: z.boolean(),
});

export const MeResponse = LoginResponse;

export const TotpEnrolResponse = z.object({ secret: z.string(), otpauthUri: z.string() });
export const TotpConfirmBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') });

/** Passwords: long rather than complicated (NIST SP 800-63B). */
export const PasswordSchema = z
  .string()
  .min(12, 'at least 12 characters')
  .max(256)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .refine((s) => !/[\u0000-\u001f]/.test(s), 'contains control characters');

export const ChangePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: PasswordSchema });

export const Ok = z.object({ ok: z.literal(true) });

const username = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'lower-case letters, digits, dot, dash, underscore; 2–63 characters');

/** A staff member as the admin page shows it. */
export const StaffSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  branchId: z.string(),
  branchCode: z.string(),
  roles: z.array(RoleSchema),
  status: z.enum(['active', 'disabled']),
  mfaEnrolled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const StaffListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  q: text({ max: 64 }).optional(),
  branchId: z.string().max(64).optional(),
});

export const StaffListResponse = z.object({ items: z.array(StaffSchema), nextCursor: z.string().nullable() });

export const CreateStaffBody = z.strictObject({
  username,
  displayName: text({ min: 1, max: 100 }),
  branchId: z.string().min(1).max(64),
  roles: z.array(RoleSchema).min(1).max(ROLES.length),
  password: PasswordSchema.optional(),
});

/** A request for roles that read medical data, waiting for (or decided by) a second administrator. */
export const RoleRequestView = z.object({
  id: z.string(),
  staff: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
  roles: z.array(RoleSchema),
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
  requestedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  requestedAt: z.string(),
  decidedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export const RoleRequestListQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']).default('pending'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const RoleRequestListResponse = z.object({ items: z.array(RoleRequestView), nextCursor: z.null() });
export const RoleRequestIdParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an id') });
export const RoleDecisionBody = z.strictObject({ decision: z.enum(['approve', 'reject']), note: text({ min: 1, max: 500 }).optional() });

export const CreateStaffResponse = z.object({
  staff: StaffSchema,
  temporaryPassword: z.string().nullable(),
  /** Roles that read medical data wait here for a second administrator. */
  pendingRoleRequest: RoleRequestView.nullable(),
});
export const UpdateStaffResponse = StaffSchema.extend({ pendingRoleRequest: RoleRequestView.nullable() });

export const UpdateStaffBody = z
  .strictObject({
    displayName: text({ min: 1, max: 100 }).optional(),
    branchId: z.string().min(1).max(64).optional(),
    roles: z.array(RoleSchema).min(1).max(ROLES.length).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

/** A colleague as pickers show them: no account details. */
export const ColleagueSchema = z.object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(RoleSchema) });
export const ColleagueListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: z.string().max(200).optional(),
  q: text({ max: 64 }).optional(),
});
export const ColleagueListResponse = z.object({ items: z.array(ColleagueSchema), nextCursor: z.string().nullable() });

export const StaffIdParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a staff id') });

export const PasswordResetResponse = z.object({ temporaryPassword: z.string() });

export const BranchSchema = z.object({ id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string() });
export const BranchListResponse = z.object({ items: z.array(BranchSchema), nextCursor: z.null() });
