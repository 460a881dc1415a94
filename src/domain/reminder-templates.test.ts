import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATED_TEMPLATES, REMINDER_TEMPLATES, renderReminder, toneProblems } from './reminder-templates.js';

describe('collection reminder templates', () => {
  it('P7.1.2 should keep every template free of threats, certain penalties, pressure, health words and amounts', () => {
    for (const template of REMINDER_TEMPLATES) {
      const text = renderReminder(template, { bankName: 'XX银行', dueDate: '2026-12-20' });
      expect(toneProblems(text), template).toEqual([]);
      expect(text.startsWith('【XX银行】')).toBe(true);
    }
  });

  it('P7.1.2 should write the due date in Chinese in the dated templates and say 本期 without one', () => {
    expect(renderReminder('upcoming_instalment', { bankName: 'XX银行', dueDate: '2026-01-05' })).toContain('2026年1月5日');
    expect(renderReminder('missed_instalment', { bankName: 'XX银行' })).toContain('您本期的贷款还款');
    expect(DATED_TEMPLATES).toEqual(['upcoming_instalment', 'missed_instalment']);
  });

  it('P7.1.2 should find the harsh wordings a collection text must not use', () => {
    expect(toneProblems('请于三日内还款，否则我们将起诉您')).toEqual(['threat', 'pressure']);
    expect(toneProblems('逾期将影响您的征信记录')).toEqual(['certain_penalty']);
    expect(toneProblems('罚息将按日计收')).toEqual(['certain_penalty']);
    expect(toneProblems('我们将安排催收员上门')).toEqual(['threat']);
    expect(toneProblems('您在住院期间的还款')).toEqual(['medical']);
    expect(toneProblems('您尚欠 3,000元')).toEqual(['amount']);
    expect(toneProblems('请您务必立即还款')).toEqual(['pressure']);
  });

  it('should render any bank name and any day without leaving a placeholder', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REMINDER_TEMPLATES),
        fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !s.includes('{')),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (template, bankName, day) => {
          const text = renderReminder(template, { bankName, dueDate: day.toISOString().slice(0, 10) });
          expect(text).not.toMatch(/\{(bank|date)\}/);
          expect(text).toContain(bankName);
        },
      ),
    );
  });
});
