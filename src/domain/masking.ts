/**
 * Masks of sensitive identifiers for screens that must recognise a customer without showing
 * the value (P5.4): enough to tell two customers apart, not enough to use the identifier.
 */

/** `110105198203154312` → `1101**********4312`; shorter values keep less, never more than half. */
export function maskNationalId(value: string): string {
  const v = value.trim();
  const keep = Math.min(4, Math.floor(v.length / 4));
  if (keep === 0) return '*'.repeat(v.length);
  return `${v.slice(0, keep)}${'*'.repeat(v.length - 2 * keep)}${v.slice(-keep)}`;
}

/** `13857125678` → `138****5678`: the operator prefix and the last four digits, at least four hidden. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const hidden = Math.min(digits.length, Math.max(4, digits.length - 7));
  const tail = Math.min(4, digits.length - hidden);
  const head = digits.length - hidden - tail;
  return `${digits.slice(0, head)}${'*'.repeat(hidden)}${digits.slice(digits.length - tail)}`;
}

/** `浙江省杭州市西湖区文三路 88 号` → `浙江省杭州市***`: the city, nothing that leads to the door. */
export function maskAddress(value: string): string {
  const v = value.trim();
  // 市 first: in 杭州市 the 州 belongs to the city's name.
  const city = /^.{0,12}?市/u.exec(v) ?? /^.{0,12}?[州盟]/u.exec(v);
  if (city) return `${city[0]}***`;
  // Without a recognisable city, a short head: never more than a third of the address.
  const head = [...v].slice(0, Math.min(4, Math.floor([...v].length / 3))).join('');
  return `${head}***`;
}
