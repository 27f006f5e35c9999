// How --fix writes: only inside the analysed folders (their real paths), never through a symlink,
// never over a file that is not valid UTF-8 (its bytes would be lost to U+FFFD), keeping a UTF-8
// byte-order mark. A file that is created is created exclusively (O_EXCL), so that a dangling
// symlink in its place is not followed.
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { isWithin } from '../analysis/files/fs';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const strict = new TextDecoder('utf-8', { fatal: true });
const NOFOLLOW = nodeFs.constants.O_NOFOLLOW ?? 0;

/** The nearest folder of `file` that exists, and the folders below it that do not (to create). */
function existingAncestor(file: string): { dir: string; missing: string[] } {
  const missing: string[] = [];
  let dir = path.dirname(file);
  for (;;) {
    try {
      nodeFs.lstatSync(dir);
      return { dir, missing };
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return { dir, missing };
      missing.unshift(dir);
      dir = up;
    }
  }
}

/**
 * Why `file` must not be written by a fix, or undefined when it may: outside `roots` once symlinks
 * are resolved, a symlink itself (or a dangling one where a file would be created), not a regular
 * file, or not valid UTF-8.
 */
export function whyNotWritable(file: string, roots: readonly string[]): string | undefined {
  const abs = path.resolve(file);
  if (!roots.some((r) => isWithin(path.resolve(r), abs))) return 'it is outside the analysed folder';
  const realRoots = roots.map((r) => {
    try {
      return nodeFs.realpathSync(r);
    } catch {
      return path.resolve(r);
    }
  });
  let st: nodeFs.Stats | undefined;
  try {
    st = nodeFs.lstatSync(abs);
  } catch {
    st = undefined;
  }
  if (st?.isSymbolicLink()) return 'it is a symbolic link';
  if (st && !st.isFile()) return 'it is not a regular file';
  // the folder it is (or will be) in, resolved, must be inside too
  const { dir } = existingAncestor(abs);
  let realDir: string;
  try {
    realDir = nodeFs.realpathSync(dir);
  } catch {
    return 'its folder cannot be resolved';
  }
  if (!realRoots.some((r) => isWithin(r, realDir))) return 'its folder leads outside the analysed folder';
  if (st) {
    let bytes: Buffer;
    try {
      bytes = nodeFs.readFileSync(abs);
    } catch (e) {
      return `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    try {
      strict.decode(bytes);
    } catch {
      return 'it is not valid UTF-8';
    }
  }
  return undefined;
}

/**
 * Writes a fixed file (checked with whyNotWritable just before), keeping its byte-order mark; a
 * new file is created exclusively. Throws when the file changed into something that may not be
 * written meanwhile.
 */
export function writeFixedFile(file: string, text: string, roots: readonly string[]): void {
  const why = whyNotWritable(file, roots);
  if (why) throw new Error(`${file} was not written: ${why}`);
  const abs = path.resolve(file);
  let existing: Buffer | undefined;
  try {
    existing = nodeFs.readFileSync(abs);
  } catch {
    existing = undefined;
  }
  const body = Buffer.from(text, 'utf8');
  if (existing) {
    const data = existing.subarray(0, 3).equals(BOM) && !body.subarray(0, 3).equals(BOM) ? Buffer.concat([BOM, body]) : body;
    // O_NOFOLLOW: a symlink put in its place since the check is not followed; the mode is kept
    const fd = nodeFs.openSync(abs, nodeFs.constants.O_WRONLY | nodeFs.constants.O_TRUNC | NOFOLLOW);
    try {
      nodeFs.writeFileSync(fd, data);
    } finally {
      nodeFs.closeSync(fd);
    }
    return;
  }
  const { missing } = existingAncestor(abs);
  for (const d of missing) nodeFs.mkdirSync(d);
  const fd = nodeFs.openSync(abs, nodeFs.constants.O_WRONLY | nodeFs.constants.O_CREAT | nodeFs.constants.O_EXCL | NOFOLLOW, 0o666);
  try {
    nodeFs.writeFileSync(fd, body);
  } finally {
    nodeFs.closeSync(fd);
  }
}
