/** Fen as the yuan text a person types: `300000` → `3000`, `12345` → `123.45` (no floating point). */
export function fenToYuanText(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) return String(fen);
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** Yuan typed by a person (up to two decimals, commas allowed) as fen; NaN when it is not an amount (the server then names the field). */
export function yuanTextToFen(text: string): number {
  const m = /^\s*(\d{1,14})(?:\.(\d{0,2}))?\s*$/.exec(text.replace(/[,，]/g, ''));
  if (!m) return Number.NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
