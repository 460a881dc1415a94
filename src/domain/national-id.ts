/**
 * The mainland resident identity number (GB 11643-1999): 6 digits of region, 8 of birth date,
 * 3 of sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits of a resident identity number. */
export function residentIdCheckCharacter(body: string): string {
  if (!/^\d{17}$/.test(body)) throw new Error('the body of a resident identity number is 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

/** True when the text has the shape of an 18-character resident identity number. */
export function looksLikeResidentId(value: string): boolean {
  return /^\d{17}[\dX]$/.test(value);
}

/** True when an 18-character resident identity number has the right check character. */
export function isValidResidentId(value: string): boolean {
  return looksLikeResidentId(value) && residentIdCheckCharacter(value.slice(0, 17)) === value[17];
}

/** Builds a resident identity number from region, birth date and sequence (odd for men). */
export function makeResidentId(region: string, dateOfBirth: string, sequence: number): string {
  const body = `${region}${dateOfBirth.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return `${body}${residentIdCheckCharacter(body)}`;
}
