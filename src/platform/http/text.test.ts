import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './errors.js';
import { decodeCursor, encodeCursor, isoDate, pageQuery, text } from './text.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the property is about control characters
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('text()', () => {
  const name = text({ min: 1, max: 20 });

  it('should never throw, and accept only trimmed NFC text within bounds without control characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.string({ unit: 'grapheme', maxLength: 30 })), (input) => {
        const result = name.safeParse(input);
        if (!result.success) return;
        const out = result.data;
        expect(out).toBe(out.trim());
        expect(out).toBe(out.normalize('NFC'));
        // Zod measures strings in code points, so an astral character counts once.
        expect([...out].length).toBeGreaterThanOrEqual(1);
        expect([...out].length).toBeLessThanOrEqual(20);
        expect(CONTROL.test(out)).toBe(false);
        expect(LONE_SURROGATE.test(out)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('should refuse NUL, lone surrogates and control characters, and accept emoji and right-to-left text', () => {
    for (const bad of ['a\u0000', '\ud800', 'x\udfffy', '\u001b[0m', '\u007f'])
      expect(name.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    for (const good of ['😀👩‍⚕️', 'علي', '\u202Eabc', '张三', 'line\nbreak']) expect(name.safeParse(good).success, good).toBe(true);
  });

  it('should count the limit after trimming and normalising', () => {
    expect(name.parse(`   ${'x'.repeat(20)}   `)).toBe('x'.repeat(20));
    expect(name.safeParse('x'.repeat(21)).success).toBe(false);
    expect(name.safeParse('   ').success).toBe(false);
    expect(name.parse('e\u0301')).toBe('é');
    expect(name.safeParse('😀'.repeat(20)).success).toBe(true);
    expect(name.safeParse('😀'.repeat(21)).success).toBe(false);
  });

  it('should refuse non-strings', () => {
    for (const v of [null, undefined, 1, {}, [], true]) expect(name.safeParse(v).success).toBe(false);
  });

  it('should publish its real bounds in JSON Schema', () => {
    expect(z.toJSONSchema(name, { io: 'input' })).toMatchObject({ type: 'string', minLength: 1, maxLength: 20 });
  });
});

describe('isoDate', () => {
  it('should accept real dates only', () => {
    for (const ok of ['2024-02-29', '2026-12-31', '1900-01-01']) expect(isoDate.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['2023-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '2026-01-01T00:00:00Z', '２０２６-０１-０１', '']) {
      expect(isoDate.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('should never throw on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => typeof isoDate.safeParse(s).success === 'boolean'));
  });
});

describe('pageQuery', () => {
  it('should default the limit to 50 and cap it at 500', () => {
    expect(pageQuery.parse({})).toEqual({ limit: 50 });
    expect(pageQuery.parse({ limit: '500' })).toEqual({ limit: 500 });
    for (const limit of ['501', '0', '-3', '2.5', 'ten', '1e400']) expect(pageQuery.safeParse({ limit }).success, limit).toBe(false);
    expect(pageQuery.safeParse({ limit: '5', other: 'x' }).success).toBe(false);
  });
});

describe('cursors', () => {
  const Cursor = z.strictObject({ u: z.string(), n: z.number().int() });

  it('should round-trip what it encodes', () => {
    fc.assert(
      fc.property(fc.record({ u: fc.string({ unit: 'grapheme' }), n: fc.integer() }), (value) => {
        expect(decodeCursor(encodeCursor(value), Cursor)).toEqual(value);
      }),
    );
  });

  it('should answer a forged or broken cursor with VALIDATION_FAILED and never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
        ),
        (cursor) => {
          try {
            decodeCursor(cursor, Cursor);
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
            expect(err instanceof AppError && err.code).toBe('VALIDATION_FAILED');
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(decodeCursor(undefined, Cursor)).toBeUndefined();
    expect(decodeCursor('', Cursor)).toBeUndefined();
  });
});
