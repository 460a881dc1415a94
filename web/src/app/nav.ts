import type { Permission } from './access';

/** One entry of the side navigation; shown to users holding its permission (null: everyone). */
export interface NavEntry {
  to: string;
  labelKey: string;
  descriptionKey: string;
  permission: Permission | null;
  icon: 'home' | 'customers' | 'staff' | 'audit' | 'leadNew' | 'leads' | 'cases' | 'partners';
  /** Exact match only: the entry stays unlit on deeper pages that another entry owns. */
  end?: boolean;
}

/** The sections of the app, in navigation order. */
export const NAV: readonly NavEntry[] = [
  { to: '/', labelKey: 'nav.home', descriptionKey: 'home.shortcut.home', permission: null, icon: 'home' },
  // P2.3.1: every employee records leads, so this entry has no permission.
  { to: '/leads/new', labelKey: 'nav.leadNew', descriptionKey: 'home.shortcut.leadNew', permission: null, icon: 'leadNew', end: true },
  { to: '/leads', labelKey: 'nav.leadInbox', descriptionKey: 'home.shortcut.leadInbox', permission: 'lead.read', icon: 'leads' },
  { to: '/cases', labelKey: 'nav.cases', descriptionKey: 'home.shortcut.cases', permission: 'case.read', icon: 'cases' },
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
  { to: '/admin/staff', labelKey: 'nav.staff', descriptionKey: 'home.shortcut.staff', permission: 'staff.admin', icon: 'staff' },
  { to: '/audit', labelKey: 'nav.audit', descriptionKey: 'home.shortcut.audit', permission: 'audit.read', icon: 'audit' },
];
