import type { Permission } from './access';

/** One entry of the side navigation; shown to users holding its permission (null: everyone). */
export interface NavEntry {
  to: string;
  labelKey: string;
  descriptionKey: string;
  permission: Permission | null;
  icon: 'home' | 'customers' | 'staff' | 'audit';
}

/** The sections of the app, in navigation order. */
export const NAV: readonly NavEntry[] = [
  { to: '/', labelKey: 'nav.home', descriptionKey: 'home.shortcut.home', permission: null, icon: 'home' },
  {
    to: '/customers',
    labelKey: 'nav.customers',
    descriptionKey: 'home.shortcut.customers',
    permission: 'customer.read',
    icon: 'customers',
  },
  { to: '/admin/staff', labelKey: 'nav.staff', descriptionKey: 'home.shortcut.staff', permission: 'staff.admin', icon: 'staff' },
  { to: '/audit', labelKey: 'nav.audit', descriptionKey: 'home.shortcut.audit', permission: 'audit.read', icon: 'audit' },
];
