import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/** A new TOTP secret (base32, 160 bits) and the otpauth URI an authenticator app scans. */
export function newTotpSecret(username: string): { secret: string; uri: string } {
  const secret = generateSecret();
  return { secret, uri: generateURI({ issuer: 'Lifeline', label: username, secret }) };
}

/**
 * Checks a 6-digit code, allowing one 30-second step of clock drift either way. Codes of a time
 * step at or before `afterStep` are refused, so that a used code never works twice.
 */
export function checkTotp(secret: string, code: string, afterStep: number | null, now: Date): { valid: boolean; step: number } {
  if (!/^\d{6}$/.test(code)) return { valid: false, step: 0 };
  const result = verifySync({
    secret,
    token: code,
    epochTolerance: 30,
    epoch: Math.floor(now.getTime() / 1000),
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && 'timeStep' in result ? { valid: true, step: result.timeStep } : { valid: false, step: 0 };
}

/** The current code of a secret: for tests and the demo's command-line helper. */
export function currentTotp(secret: string, now: Date = new Date()): string {
  return generateSync({ secret, epoch: Math.floor(now.getTime() / 1000) });
}
