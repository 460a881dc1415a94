import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderServiceSummary, type SummaryInput } from './service-summary.js';

const input: SummaryInput = {
  typeName: { zh: '费用减免', en: 'Fee relief' },
  customerName: '王小明',
  caseNumber: 'CI-2026-000001',
  requestedAt: '2026-12-01T02:00:00.000Z',
  details: { validUntil: '2027-05-31', accountId: 'acc-1', kind: 'full', feeType: 'account_management', amountMinor: 12345 },
  documents: [
    { zh: '本人有效身份证件', en: 'Identity document', provided: true },
    { zh: '业务申请书', en: 'Application form', provided: false },
  ],
};

describe('service summary', () => {
  it('P6.1.2 should render the request in Chinese with the service, customer, details and documents', () => {
    const text = renderServiceSummary(input, 'zh-CN');
    expect(text).toContain('服务：费用减免');
    expect(text).toContain('客户：王小明');
    expect(text).toContain('- 减免方式：全免');
    expect(text).toContain('- 费用类型：账户管理费');
    expect(text).toContain('- 金额（元）：123.45');
    expect(text).toContain('- 本人有效身份证件：已提供');
    expect(text).toContain('- 业务申请书：未提供');
    expect(text).not.toMatch(/Fee relief|Identity/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('P6.1.2 should render the same request in English', () => {
    const text = renderServiceSummary(input, 'en');
    expect(text).toContain('Service: Fee relief');
    expect(text).toContain('- Kind of relief: waived in full');
    expect(text).toContain('- Identity document: provided');
    expect(text).not.toMatch(/费用减免/);
  });

  it('P6.1.2 should render the details in a fixed order whatever order they were stored in', () => {
    const reversed = { ...input, details: Object.fromEntries(Object.entries(input.details).reverse()) };
    expect(renderServiceSummary(reversed, 'zh-CN')).toBe(renderServiceSummary(input, 'zh-CN'));
  });

  it('P6.1.2 should render a different text for any change of details or documents', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.boolean(), (description, provided) => {
        const a = renderServiceSummary({ ...input, details: { description } }, 'en');
        const b = renderServiceSummary({ ...input, details: { description: `${description}x` } }, 'en');
        expect(a).not.toBe(b);
        const docs = [{ zh: '证件', en: 'ID', provided }];
        const c = renderServiceSummary({ ...input, documents: docs }, 'en');
        const d = renderServiceSummary({ ...input, documents: [{ ...docs[0], zh: '证件', en: 'ID', provided: !provided }] }, 'en');
        expect(c).not.toBe(d);
      }),
    );
  });

  it('P6.1.2 should name the fields of a holding move in the reader’s language', () => {
    const moves = { moves: [{ toRiskLevel: 'R2', holdingId: '成长股票基金', amountMinor: 500000 }] };
    const text = renderServiceSummary({ ...input, details: moves }, 'zh-CN');
    expect(text).toContain('- 调整：金额（元） 5000.00，持仓产品 成长股票基金，调整至风险等级 R2');
  });

  it('P6.1.2 should say so when a request has no details or documents', () => {
    const text = renderServiceSummary({ ...input, details: {}, documents: [] }, 'zh-CN');
    expect(text.match(/- 无/g)).toHaveLength(2);
  });
});
