/** The roles of DESIGN.md ("Roles"); a staff member holds one or more. */
export const ROLES = [
  'staff',
  'customer_manager',
  'wealth_manager',
  'risk_officer',
  'operations',
  'service_agent',
  'supervisor',
  'inspector',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** The case team roles of P3.1. */
export const TEAM_ROLES = ['customer_manager', 'wealth_manager', 'risk_officer', 'operations', 'service_agent'] as const;

const ALL: readonly Role[] = ROLES;
const CASE_WORKERS: readonly Role[] = [...TEAM_ROLES, 'supervisor'];

/**
 * What each permission allows, by role. Routes name a permission; the object-level checks
 * (this branch, this case) happen in the handler on top of it.
 */
export const PERMISSIONS = {
  /** P2.3.1: any employee records a lead. */
  'lead.create': ALL,
  /** Customer master data of the reader's branch (inspectors: every branch). */
  'customer.read': [...CASE_WORKERS, 'inspector'],
  /** Reveal a customer's full national ID, phone or address; every use is audited. */
  'customer.reveal': [...CASE_WORKERS, 'inspector'],
  'staff.admin': ['admin'],
  /** Names and roles of one's own branch's colleagues, to hand work to. */
  'staff.directory': CASE_WORKERS,
  'audit.read': ['inspector', 'admin'],
  'audit.verify': ['inspector', 'admin'],
  /** Leads of the reader's branch (P2.3): supervisors all of them, others those they reported or were asked to check. */
  'lead.read': [...CASE_WORKERS, 'inspector', 'staff'],
  /** P2.3.2: decide on a lead, hand its check to a colleague, merge, match by hand. */
  'lead.verify': ['supervisor'],
  /** A colleague asked to check a lead records what they found. */
  'lead.check': CASE_WORKERS,
  /** P2.3.3: register a confirmed lead as a case; assign the file's maintainer; close a case. */
  'case.register': ['supervisor'],
  /** The case file; object rules (branch, maintainer, team) apply on top. */
  'case.read': [...CASE_WORKERS, 'inspector'],
  /** Edit the case file and record consent: supervisors and the designated maintainer. */
  'case.update': CASE_WORKERS,
  /** P3.1: assign and change a case's service team; the branch's workload view. */
  'team.assign': ['supervisor'],
  /** P5.4.1: emergency ("break glass") access to a case one is not entitled to, with a written reason. */
  'breakglass.request': [...CASE_WORKERS, 'inspector'],
  /** Review the break-glass accesses of the branch (supervisors) or of all branches (inspectors). */
  'breakglass.review': ['supervisor', 'inspector'],
  /** P5.4.2: record staff confidentiality agreements and see who lacks one. */
  'agreement.admin': ['admin'],
  /** P3.2: one's own dated work (tasks) and the interactions with the customers of one's cases. */
  'work.do': CASE_WORKERS,
  /** P9.1: the case's discussion thread, meeting minutes and notifications. */
  'communication.use': [...CASE_WORKERS, 'inspector'],
  /** P3.3: courses, attendance and the training report. */
  'training.manage': ['supervisor', 'admin'],
  'training.read': [...CASE_WORKERS, 'inspector', 'admin'],
  /** Partner hospitals and their API keys (P2.2.2, P9.2). */
  'partner.admin': ['admin'],
  /** P2.2.3: send transaction files into Lifeline by hand (systems use API keys). */
  'transactions.ingest': ['operations', 'admin'],
  /** The ingestion batches, their progress and bad rows. */
  'transactions.read': ['operations', 'risk_officer', 'supervisor', 'inspector', 'admin'],
  /** The analysis rule sets (illness signals, fund safety) and their dry runs. */
  'rules.read': ['risk_officer', 'supervisor', 'inspector', 'admin'],
  /** P2.2.3, P7.2: edit and activate a rule set. */
  'rules.manage': ['supervisor'],
  /** P7.2.1: fund-safety alerts of the reader's branch (object rules: the case's need-to-know). */
  'alert.read': [...CASE_WORKERS, 'inspector'],
  /** Contact the customer, verify, resolve an alert. */
  'alert.work': CASE_WORKERS,
  /** Other bank systems' API clients and their keys. */
  'apiclient.admin': ['admin'],
  /** P4, P6: the service catalogue and the requests of the reader's cases or branch (object rules: the case's need-to-know). */
  // Admins read the catalogue they keep; case access still keeps them out of every request.
  'service.read': [...CASE_WORKERS, 'inspector', 'admin'],
  /** Request, start, complete or cancel a service for a case one works on. */
  'service.request': CASE_WORKERS,
  /** Take a request into review and approve or reject it (four eyes: not one's own request). */
  'service.decide': ['supervisor'],
  /** The catalogue's settings: names, owners, approval, handling times, documents, on or off. */
  'service.admin': ['admin'],
  /** P4.1, P7.1.1: work out a loan's repayment schedule (nothing is stored). */
  'credit.preview': ['customer_manager', 'risk_officer', 'supervisor'],
  /** P7.1.2: a case's collection treatment and its collection contacts (object rules: the case's team). */
  'collection.read': CASE_WORKERS,
  'collection.manage': ['risk_officer', 'supervisor'],
  /** P8.2: the indicators (object rules: a supervisor their branch, an inspector any or all). */
  'kpis.read': ['supervisor', 'inspector'],
  /** P7.1: the loan watch of registered customers' loans (object rules: the case's team, the branch's supervisors). */
  'credit.watch': ['risk_officer', 'supervisor'],
  /** P4.1: the risk officer's assessment of a loan request of their case, before the supervisor decides. */
  'credit.assess': ['risk_officer'],
  /** P4.1, P7.1.1: record core banking's booking reference of an approved loan or schedule (systems: scope loans:write). */
  'loan.book': ['operations'],
  /** P7.3.1: the operational-incident log of the reader's branch (inspectors: every branch). */
  'incident.read': ['supervisor', 'risk_officer', 'operations', 'inspector'],
  /** P7.3.1: record an incident of one's branch and follow it up. */
  'incident.record': ['supervisor', 'risk_officer', 'operations'],
  /** P3.2.3: a case's risk assessment — exposures, monitoring, measures (object rules: the case's team and branch supervisors). */
  'risk.read': CASE_WORKERS,
  /** Save a case's risk assessment (object rules: a risk officer on the case's team). */
  'risk.manage': ['risk_officer'],
  /** Approve or reject a proposed credit-limit change (four eyes: not one's own proposal). */
  'risk.approve': ['supervisor'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** True when one of the roles carries the permission. */
export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}

/** Roles that must use a second factor (TOTP) to sign in. */
export const MFA_ROLES: readonly Role[] = ['admin', 'supervisor', 'inspector'];

/** True when any of the roles needs TOTP. */
export function requiresMfa(roles: readonly Role[]): boolean {
  return roles.some((r) => MFA_ROLES.includes(r));
}

/** Roles whose holders see every branch (the head office's supervision and administration). */
export const CROSS_BRANCH_ROLES: readonly Role[] = ['inspector', 'admin'];

/** True when the holder of these roles may act on records of any branch. */
export function seesAllBranches(roles: readonly Role[]): boolean {
  return roles.some((r) => CROSS_BRANCH_ROLES.includes(r));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Roles whose holders read medical data (the case file's sensitive sections): granting one takes
 * a second administrator's approval (four eyes; P5.4.1).
 */
export const MEDICAL_DATA_ROLES: readonly Role[] = PERMISSIONS['case.read'];

/** The roles of `next` that see medical data and that `current` does not hold yet. */
export function addedMedicalRoles(current: readonly Role[], next: readonly Role[]): Role[] {
  return [...new Set(next)].filter((r) => MEDICAL_DATA_ROLES.includes(r) && !current.includes(r));
}
