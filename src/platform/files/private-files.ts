import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The data folder holds the database, its WAL and the key file: readable by the service user only,
 * whatever umask the process was started with (a default 022 made them world-readable).
 */
export const PRIVATE_DIR_MODE = 0o700;
/** Files in the data folder: read and write for the service user, nothing for anyone else. */
export const PRIVATE_FILE_MODE = 0o600;

function errorCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Sets the mode unless it is set already (a chmod of a file someone else owns fails even when it changes nothing). */
function tighten(target: string, wanted: number, current: number): void {
  if ((current & 0o777) !== wanted) chmodSync(target, wanted);
}

/** A folder with the sticky bit is a shared scratch folder (/tmp): never Lifeline's to close. */
function isShared(mode: number): boolean {
  return (mode & 0o1000) !== 0;
}

/**
 * Creates a private folder (0700) with its missing parents, or takes back an existing one; its
 * contents are left as they are, and so is a shared folder such as /tmp.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const { mode } = lstatSync(dir);
  if (!isShared(mode)) tighten(dir, PRIVATE_DIR_MODE, mode);
}

/** Creates an empty private file (0600) when missing, or takes back an existing one. */
export function ensurePrivateFile(file: string): void {
  // 'a' creates without truncating; the mode applies only to a file this call creates.
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  tighten(file, PRIVATE_FILE_MODE, lstatSync(file).mode);
}

/** Takes back a file that exists (0600); a missing one is fine. */
export function tightenIfPresent(file: string): void {
  try {
    tighten(file, PRIVATE_FILE_MODE, lstatSync(file).mode);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
}

/**
 * Takes back an existing data folder at start: the folder 0700, each file directly in it 0600 and
 * each folder directly in it 0700 (which closes what lies below without walking it: a data folder
 * pointed by mistake at a large tree is not rewritten). Symbolic links are left alone, since a
 * chmod would follow them out of the folder. A missing folder is fine: it is created private when
 * something is first written to it. Answers the paths that could not be changed (another user's
 * files, a shared folder such as /tmp, which is left whole), for a warning: the service still starts.
 */
export function securePrivateFolder(dir: string): string[] {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(dir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
  if (!stat.isDirectory()) return [];
  if (isShared(stat.mode)) return [dir];
  const refused: string[] = [];
  const attempt = (target: string, wanted: number, current: number) => {
    try {
      tighten(target, wanted, current);
    } catch (err) {
      if (errorCode(err) !== 'EPERM' && errorCode(err) !== 'EACCES') throw err;
      refused.push(target);
    }
  };
  attempt(dir, PRIVATE_DIR_MODE, stat.mode);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const target = path.join(dir, entry.name);
    if (entry.isDirectory()) attempt(target, PRIVATE_DIR_MODE, lstatSync(target).mode);
    else if (entry.isFile()) attempt(target, PRIVATE_FILE_MODE, lstatSync(target).mode);
  }
  return refused;
}
