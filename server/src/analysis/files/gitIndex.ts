// The files git tracks, from the repository's index (`.git/index`), read as bytes and never by
// running git. Git's own rule: ".gitignore … Files already tracked by Git are not affected" — a
// file committed with `git add -f` (a production env file under an ignored `.envs/*`) is in the
// repository whatever .gitignore says, so the analysis reads it as committed.
//
// Format (https://git-scm.com/docs/index-format, versions 2 to 4): a 12-byte header ("DIRC",
// version, entry count), then the entries in path order: 40 bytes of stat data, the object name
// (20 bytes for SHA-1, 32 for SHA-256 repositories), 16 bits of flags (with, from version 3, 16
// more when the extended bit is set), then the path: NUL-terminated and padded with NULs to a
// multiple of 8 bytes (versions 2 and 3), or prefix-compressed against the previous entry's path
// (version 4: an offset-encoded count of bytes to drop from the end of the previous path, then
// the NUL-terminated rest, no padding).
import * as path from 'node:path';
import type { FileSystem } from './fs';

/** An index larger than this is not read (git's own index of 100,000 files is about 10 MB). */
export const GIT_INDEX_MAX_BYTES = 64 * 1024 * 1024;
/** At most this many entries are read. */
const MAX_ENTRIES = 2_000_000;

/** The tracked paths (POSIX, relative to the work tree's top) and every folder that holds one. */
export interface TrackedPaths {
  readonly files: ReadonlySet<string>;
  readonly dirs: ReadonlySet<string>;
}

/**
 * The paths an index lists, or undefined when the bytes are not an index this reader knows (an
 * unknown version, a truncated entry): then nothing is known to be tracked.
 */
export function parseGitIndex(bytes: Uint8Array, hashBytes = 20): TrackedPaths | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0x44 || bytes[1] !== 0x49 || bytes[2] !== 0x52 || bytes[3] !== 0x43) return undefined; // "DIRC"
  const version = view.getUint32(4);
  if (version < 2 || version > 4) return undefined;
  const count = view.getUint32(8);
  if (count > MAX_ENTRIES) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const files = new Set<string>();
  const dirs = new Set<string>();
  let at = 12;
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < count; i++) {
    const start = at;
    const fixed = 40 + hashBytes + 2;
    if (at + fixed > bytes.length) return undefined;
    const flags = view.getUint16(at + 40 + hashBytes);
    at += fixed;
    if (version >= 3 && (flags & 0x4000) !== 0) {
      if (at + 2 > bytes.length) return undefined;
      at += 2;
    }
    let name: Uint8Array;
    if (version === 4) {
      // offset encoding: 7 bits a byte, high bit "more", each continuation adding one first
      let b = bytes[at++];
      if (b === undefined) return undefined;
      let drop = b & 0x7f;
      while (b & 0x80) {
        b = bytes[at++];
        if (b === undefined || drop > previous.length) return undefined;
        drop = ((drop + 1) << 7) | (b & 0x7f);
      }
      if (drop > previous.length) return undefined;
      const end = bytes.indexOf(0, at);
      if (end < 0) return undefined;
      const rest = bytes.subarray(at, end);
      name = new Uint8Array(previous.length - drop + rest.length);
      name.set(previous.subarray(0, previous.length - drop), 0);
      name.set(rest, previous.length - drop);
      at = end + 1;
    } else {
      const end = bytes.indexOf(0, at);
      if (end < 0) return undefined;
      name = bytes.subarray(at, end);
      // the entry (from its start) padded with 1 to 8 NULs to a multiple of 8 bytes
      at = start + ((end - start + 8) & ~7);
      if (at > bytes.length) return undefined;
    }
    previous = name;
    // (a sparse index's folder entry ends with a slash: every file below it is tracked)
    const p = decoder.decode(name).replace(/\/$/, '');
    if (p === '') continue;
    files.add(p);
    for (let d = path.posix.dirname(p); d !== '.' && d !== '/' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
    if (name[name.length - 1] === 0x2f) dirs.add(p);
  }
  return { files, dirs };
}

const cache = new WeakMap<FileSystem, Map<string, { size: number; tracked: TrackedPaths | undefined }>>();

/**
 * What the git repository whose top is `top` tracks, from `top/.git/index`; undefined when there
 * is no index (no repository, an empty `.git`, a `.git` file of a worktree) or it cannot be read.
 */
export function trackedPaths(fs: FileSystem, top: string): TrackedPaths | undefined {
  if (!fs.readBytes) return undefined;
  const gitDir = path.join(top, '.git');
  if (!fs.isDirectory(gitDir)) return undefined;
  const file = path.join(gitDir, 'index');
  const size = fs.size(file);
  if (size === undefined || size > GIT_INDEX_MAX_BYTES) return undefined;
  let byFs = cache.get(fs);
  if (!byFs) {
    byFs = new Map();
    cache.set(fs, byFs);
  }
  const kept = byFs.get(file);
  if (kept && kept.size === size) return kept.tracked;
  const bytes = fs.readBytes(file, GIT_INDEX_MAX_BYTES);
  if (!bytes) return undefined;
  // a SHA-256 repository (`[extensions] objectFormat = sha256`) names objects with 32 bytes
  const config = fs.readText(path.join(gitDir, 'config')) ?? '';
  const sha256 = /^[ \t]*objectformat[ \t]*=[ \t]*sha256[ \t]*$/im.test(config);
  const tracked = parseGitIndex(bytes, sha256 ? 32 : 20);
  byFs.set(file, { size, tracked });
  return tracked;
}
