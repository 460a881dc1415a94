import type { Role } from '../../domain/roles.js';

/** The demo branches (API.md "Demo data"). */
export const DEMO_BRANCHES = [
  { code: 'HQ', nameZh: '总行', nameEn: 'Head Office' },
  { code: 'EAST', nameZh: '城东支行', nameEn: 'East Branch' },
  { code: 'WEST', nameZh: '城西支行', nameEn: 'West Branch' },
] as const;

/** The demo users of API.md, with their branch and roles. */
export const DEMO_USERS: readonly { username: string; displayName: string; branch: 'HQ' | 'EAST' | 'WEST'; roles: Role[] }[] = [
  { username: 'admin', displayName: '系统管理员 周敏', branch: 'HQ', roles: ['admin'] },
  // A second administrator: roles that read medical data are granted by four eyes (docs/access.md).
  { username: 'admin2', displayName: '系统管理员 钱涛', branch: 'HQ', roles: ['admin'] },
  { username: 'sup.east', displayName: '城东主管 王建国', branch: 'EAST', roles: ['supervisor'] },
  { username: 'sup.west', displayName: '城西主管 刘芳', branch: 'WEST', roles: ['supervisor'] },
  { username: 'cm.east', displayName: '客户经理 李娜', branch: 'EAST', roles: ['customer_manager'] },
  { username: 'cm.west', displayName: '客户经理 陈伟', branch: 'WEST', roles: ['customer_manager'] },
  { username: 'wm.east', displayName: '理财经理 张静', branch: 'EAST', roles: ['wealth_manager'] },
  { username: 'risk.east', displayName: '风险经理 赵强', branch: 'EAST', roles: ['risk_officer'] },
  { username: 'ops.east', displayName: '运营支持 孙丽', branch: 'EAST', roles: ['operations'] },
  { username: 'cs.east', displayName: '客服专员 吴婷', branch: 'EAST', roles: ['service_agent'] },
  { username: 'insp', displayName: '服务监督 郑华', branch: 'HQ', roles: ['inspector'] },
  { username: 'teller.east', displayName: '柜员 黄磊', branch: 'EAST', roles: ['staff'] },
];
