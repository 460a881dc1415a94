/**
 * Scans of documents that staff upload (P6.1.1): what kinds are accepted, how large, and the
 * virus-scan seam every upload passes before it is stored (docs/service-documents.md).
 */

/** The kinds of scan accepted, recognised by their first bytes, never by the name or the declared type. */
export const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

/** The largest scan accepted: a phone photo of a page or a scanned PDF fits comfortably. */
export const MAX_SCAN_BYTES = 5 * 1024 * 1024;

const MAGIC: readonly [ScanType, readonly number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

/** The kind of scan the bytes are, from their magic bytes; undefined for anything else. */
export function sniffScanType(bytes: Uint8Array): ScanType | undefined {
  return MAGIC.find(([, magic]) => magic.length <= bytes.length && magic.every((b, i) => bytes[i] === b))?.[0];
}

/** What the virus scanner says of an upload. */
export type ScanVerdict = { accept: true } | { accept: false; reason: string };

/** A virus scanner: called with every upload before it is stored. */
export type UploadScanner = (bytes: Uint8Array, contentType: ScanType) => Promise<ScanVerdict>;

// The seam: no scanner ships with Lifeline, so uploads are accepted as they are. A bank plugs
// its own (e.g. a ClamAV daemon over its socket) in with setUploadScanner at start-up.
const acceptAll: UploadScanner = async () => ({ accept: true });
let scanner: UploadScanner = acceptAll;

/** Installs the virus scanner uploads pass through (start-up, tests); without an argument the default that accepts all. */
export function setUploadScanner(next?: UploadScanner): void {
  scanner = next ?? acceptAll;
}

/** Asks the installed scanner about an upload; a scanner that fails refuses the upload. */
export async function scanUpload(bytes: Uint8Array, contentType: ScanType): Promise<ScanVerdict> {
  try {
    return await scanner(bytes, contentType);
  } catch {
    return { accept: false, reason: 'the virus scanner failed' };
  }
}
