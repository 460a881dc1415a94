import type { Permission } from './access';

/** One entry of the side navigation; shown to users holding its permission (null: everyone). */
export interface NavEntry {
  to: string;
  labelKey: string;
  descriptionKey: string;
  permission: Permission | null;
  icon: 'home' | 'customers' | 'staff' | 'audit' | 'leadNew' | 'leads' | 'cases' | 'partners' | 'work' | 'bell';
  /** Exact match only: the entry stays unlit on deeper pages that another entry owns. */
  end?: boolean;
  /** The link's test id suffix when the icon is shared with another entry (default: the icon). */
  testId?: string;
}

/** The sections of the app, in navigation order. */
export const NAV: readonly NavEntry[] = [
  { to: '/', labelKey: 'nav.home', descriptionKey: 'home.shortcut.home', permission: null, icon: 'home' },
  // P2.3.1: every employee records leads, so this entry has no permission.
  { to: '/leads/new', labelKey: 'nav.leadNew', descriptionKey: 'home.shortcut.leadNew', permission: null, icon: 'leadNew', end: true },
  { to: '/leads', labelKey: 'nav.leadInbox', descriptionKey: 'home.shortcut.leadInbox', permission: 'lead.read', icon: 'leads' },
  // P3.2: one's own due and overdue tasks across one's cases.
  { to: '/work', labelKey: 'nav.work', descriptionKey: 'home.shortcut.work', permission: 'work.do', icon: 'work' },
  { to: '/cases', labelKey: 'nav.cases', descriptionKey: 'home.shortcut.cases', permission: 'case.read', icon: 'cases' },
  // P4, P6 (issue 11): the service requests of one's cases or branch, the supervisor's approvals.
  {
    to: '/services',
    labelKey: 'nav.services',
    descriptionKey: 'home.shortcut.services',
    permission: 'case.read',
    icon: 'work',
    end: true,
    testId: 'services',
  },
  {
    to: '/services/approvals',
    labelKey: 'nav.serviceApprovals',
    descriptionKey: 'home.shortcut.serviceApprovals',
    permission: 'service.decide',
    icon: 'work',
    testId: 'serviceApprovals',
  },
  {
    to: '/customers',
    labelKey: 'nav.customers',
    descriptionKey: 'home.shortcut.customers',
    permission: 'customer.read',
    icon: 'customers',
  },
  {
    to: '/admin/partners',
    labelKey: 'nav.partners',
    descriptionKey: 'home.shortcut.partners',
    permission: 'partner.admin',
    icon: 'partners',
  },
  // P3.1 and P5.4 (issue 4): the branch's workload, break-glass reviews, confidentiality agreements.
  {
    to: '/teams/workload',
    labelKey: 'nav.workload',
    descriptionKey: 'home.shortcut.workload',
    permission: 'team.assign',
    icon: 'cases',
    testId: 'workload',
  },
  {
    to: '/break-glass',
    labelKey: 'nav.breakGlass',
    descriptionKey: 'home.shortcut.breakGlass',
    permission: 'breakglass.review',
    icon: 'audit',
    testId: 'breakGlass',
  },
  {
    to: '/admin/agreements',
    labelKey: 'nav.agreements',
    descriptionKey: 'home.shortcut.agreements',
    permission: 'agreement.admin',
    icon: 'staff',
    testId: 'agreements',
  },
  {
    to: '/admin/service-types',
    labelKey: 'nav.serviceTypes',
    descriptionKey: 'home.shortcut.serviceTypes',
    permission: 'service.admin',
    icon: 'partners',
    testId: 'serviceTypes',
  },
  { to: '/admin/staff', labelKey: 'nav.staff', descriptionKey: 'home.shortcut.staff', permission: 'staff.admin', icon: 'staff' },
  { to: '/audit', labelKey: 'nav.audit', descriptionKey: 'home.shortcut.audit', permission: 'audit.read', icon: 'audit' },
  // P3.3 and P9.1 (issue 4): training and one's notifications.
  {
    to: '/training',
    labelKey: 'nav.training',
    descriptionKey: 'home.shortcut.training',
    permission: 'training.read',
    icon: 'staff',
    testId: 'training',
  },
  {
    to: '/notifications',
    labelKey: 'nav.notifications',
    descriptionKey: 'home.shortcut.notifications',
    permission: 'communication.use',
    icon: 'bell',
    testId: 'notifications',
  },
  // P7.3.1 (issue 12): the branch's operational-incident log.
  {
    to: '/incidents',
    labelKey: 'nav.incidents',
    descriptionKey: 'home.shortcut.incidents',
    permission: 'incident.read',
    icon: 'audit',
    testId: 'incidents',
  },
  // P7.2 and P2.2.3 (issue 5): fund-safety alerts, transaction batches, the analysis rules, API clients.
  {
    to: '/alerts',
    labelKey: 'nav.alerts',
    descriptionKey: 'home.shortcut.alerts',
    permission: 'alert.read',
    icon: 'bell',
    testId: 'alerts',
  },
  {
    to: '/transactions/batches',
    labelKey: 'nav.batches',
    descriptionKey: 'home.shortcut.batches',
    permission: 'transactions.read',
    icon: 'audit',
    testId: 'batches',
  },
  {
    to: '/analysis/rules',
    labelKey: 'nav.rules',
    descriptionKey: 'home.shortcut.rules',
    permission: 'rules.read',
    icon: 'audit',
    testId: 'rules',
  },
  // P8.2: how well the policy's work is done.
  {
    to: '/kpis',
    labelKey: 'nav.kpis',
    descriptionKey: 'home.shortcut.kpis',
    permission: 'kpis.read',
    icon: 'work',
    testId: 'kpis',
  },
  // P4.1, P7.1.1: what a loan costs month by month.
  {
    to: '/credit/schedule',
    labelKey: 'nav.creditSchedule',
    descriptionKey: 'home.shortcut.creditSchedule',
    permission: 'credit.preview',
    icon: 'work',
    testId: 'creditSchedule',
  },
  // P7.1, P7.1.2: registered customers' loans, before arrears and after.
  {
    to: '/credit/watch',
    labelKey: 'nav.loanWatch',
    descriptionKey: 'home.shortcut.loanWatch',
    permission: 'credit.watch',
    icon: 'work',
    testId: 'loanWatch',
  },
  {
    to: '/admin/api-clients',
    labelKey: 'nav.apiClients',
    descriptionKey: 'home.shortcut.apiClients',
    permission: 'apiclient.admin',
    icon: 'partners',
    testId: 'apiClients',
  },
];
