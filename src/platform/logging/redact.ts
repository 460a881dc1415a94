/**
 * Log paths that must never reach a log line: credentials and anything a sensitive value could
 * travel in. Request bodies are not logged at all.
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.headers["x-lifeline-signature"]',
  'res.headers["set-cookie"]',
  'password',
  'totp',
  'nationalId',
  'phone',
  'address',
  '*.password',
  '*.nationalId',
  '*.phone',
];
