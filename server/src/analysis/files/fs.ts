// The file system as the analysis sees it: the real one for the CLI and the server (with open
// editor buffers layered on top by the server), or an in-memory one for tests.
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';

export interface DirEntry {
  readonly name: string;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly isSymbolicLink: boolean;
}

export interface FileSystem {
  /** The file's text, or undefined when it is missing, unreadable, binary or too large. */
  readText(path: string): string | undefined;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  readDir(path: string): DirEntry[];
  /** Canonical path (symlinks resolved), or undefined when it does not exist. */
  realpath(path: string): string | undefined;
  /** Size in bytes, or undefined. */
  size(path: string): number | undefined;
  /** The file's bytes (a binary file such as git's index), or undefined when missing or over `maxBytes`. */
  readBytes?(path: string, maxBytes: number): Uint8Array | undefined;
  /** Drops what is kept of a file's text (of every file without a path): it changed on disk. */
  forget?(path?: string): void;
}

/** Whether `file` is `folder` or below it (absolute paths, resolved alike). */
export function isWithin(folder: string, file: string): boolean {
  const rel = nodePath.relative(folder, file);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + nodePath.sep) && !nodePath.isAbsolute(rel));
}

/** Files larger than this are not analysed (they are reported once as skipped). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Whether a text (an open editor buffer) is over MAX_FILE_BYTES once encoded as UTF-8. */
export function textTooLarge(text: string): boolean {
  if (text.length > MAX_FILE_BYTES) return true;
  // at most 3 bytes per UTF-16 unit: only a long text can be over
  return text.length * 3 > MAX_FILE_BYTES && Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES;
}

/**
 * Decodes bytes as UTF-8 source; undefined for binary content (NUL bytes). Tolerates BOMs and bad
 * bytes. With `utf16`, a file starting with a UTF-16 byte order mark is read as UTF-16 (pip reads a
 * requirements file so, and `pip freeze >` in Windows PowerShell writes one; YAML allows it): not
 * for Python modules, which Python refuses in UTF-16.
 */
export function decodeSource(bytes: Uint8Array, utf16 = false): string | undefined {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (utf16 && buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    const body = buf.subarray(2, buf.length - (buf.length % 2));
    const text = le ? body.toString('utf16le') : Buffer.from(body).swap16().toString('utf16le');
    return text.includes('\0') ? undefined : text;
  }
  if (buf.subarray(0, 8192).indexOf(0) >= 0) return undefined;
  // Invalid UTF-8 (a Latin-1 file…) becomes U+FFFD, as a non-fatal TextDecoder would do.
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** statSync's option: undefined for a missing file instead of an exception. */
const NO_THROW = { throwIfNoEntry: false } as const;

/**
 * A file's text as last read, with the stat it was read under: given again while a stat of the file
 * gives the same device, inode, size, modification and change times (git's index works so).
 */
interface KeptText {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly text: string | undefined;
}

/**
 * A text read less than this after its file's last modification (or change) is not kept: a second
 * write within the file system's timestamp granularity (a few milliseconds on ext4, 2 s on FAT), of
 * the same size, would not change the stat ("racy git"). Such a file is read again until it is older.
 */
const RACY_MS = 3000;
/** At most this many characters of texts are kept (beyond, everything kept is dropped). */
const KEPT_CHARS_MAX = 64 * 1024 * 1024;
/** At most this many stats are kept (beyond, all are dropped). */
const STATS_KEPT_MAX = 20_000;

export class NodeFileSystem implements FileSystem {
  /**
   * The texts read, by path: the language server analyses the workspace again after every
   * keystroke, and the closed modules, deployment files and scripts it reads (17 reads, 34,000
   * characters per keystroke on DefectDojo) are the same files; one stat tells whether each
   * changed. Also gives the same string again, which the analysis's text comparisons then answer
   * at once.
   */
  private readonly kept = new Map<string, KeptText>();
  private keptChars = 0;
  /** Texts read from the disk (not given again from `kept`): for tests. */
  diskReads = 0;

  /**
   * The stats taken, by path (undefined: missing), with when: with `statFreshMs`, a stat younger
   * than that is answered again instead of asking the disk. The language server gives the window
   * (see STAT_FRESH_MS); the CLI and tests ask every time.
   */
  private readonly stats = new Map<string, { at: number; st: nodeFs.Stats | undefined }>();

  /**
   * `racyMs`: see RACY_MS (tests set a shorter one). `statFreshMs`: how long a stat is taken as the
   * file's (0: not at all); a `forget` of the file ends it at once.
   */
  constructor(
    private readonly racyMs = RACY_MS,
    private readonly statFreshMs = 0,
  ) {}

  /** The file's stat (undefined when it does not exist), taken again once older than statFreshMs. */
  private stat(path: string): nodeFs.Stats | undefined {
    if (this.statFreshMs <= 0) return nodeFs.statSync(path, NO_THROW);
    const now = performance.now();
    const k = this.stats.get(path);
    if (k && now - k.at < this.statFreshMs) return k.st;
    const st = nodeFs.statSync(path, NO_THROW);
    if (this.stats.size >= STATS_KEPT_MAX) this.stats.clear();
    this.stats.set(path, { at: now, st });
    return st;
  }

  readText(path: string): string | undefined {
    try {
      // (no exception for a missing file: the analysis asks for modules that may not exist after
      // every keystroke, and building an error with its stack cost more than the look-up)
      const st = this.stat(path);
      if (!st?.isFile() || st.size > MAX_FILE_BYTES) {
        this.dropKept(path);
        return undefined;
      }
      const k = this.kept.get(path);
      if (k && k.ino === st.ino && k.dev === st.dev && k.size === st.size && k.mtimeMs === st.mtimeMs && k.ctimeMs === st.ctimeMs) {
        return k.text;
      }
      const readAt = Date.now();
      this.diskReads++;
      const text = decodeSource(nodeFs.readFileSync(path), !path.endsWith('.py') && !path.endsWith('.pyi'));
      this.dropKept(path);
      if (readAt - Math.max(st.mtimeMs, st.ctimeMs) >= this.racyMs) {
        const chars = text?.length ?? 0;
        if (this.keptChars + chars > KEPT_CHARS_MAX) this.forget();
        this.kept.set(path, { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, text });
        this.keptChars += chars;
      }
      return text;
    } catch {
      return undefined;
    }
  }

  forget(path?: string): void {
    if (path === undefined) {
      this.kept.clear();
      this.keptChars = 0;
      this.stats.clear();
      return;
    }
    this.stats.delete(path);
    this.dropKept(path);
  }

  private dropKept(path: string): void {
    const k = this.kept.get(path);
    if (k) {
      this.keptChars -= k.text?.length ?? 0;
      this.kept.delete(path);
    }
  }

  exists(path: string): boolean {
    try {
      return this.stat(path) !== undefined;
    } catch {
      return false;
    }
  }

  isDirectory(path: string): boolean {
    try {
      return this.stat(path)?.isDirectory() === true;
    } catch {
      return false;
    }
  }

  readDir(path: string): DirEntry[] {
    try {
      return nodeFs.readdirSync(path, { withFileTypes: true }).map((d) => {
        let isFile = d.isFile();
        let isDirectory = d.isDirectory();
        if (d.isSymbolicLink()) {
          try {
            const st = nodeFs.statSync(nodePath.join(path, d.name));
            isFile = st.isFile();
            isDirectory = st.isDirectory();
          } catch {
            // dangling link
          }
        }
        return { name: d.name, isFile, isDirectory, isSymbolicLink: d.isSymbolicLink() };
      });
    } catch {
      return [];
    }
  }

  realpath(path: string): string | undefined {
    try {
      return nodeFs.realpathSync(path);
    } catch {
      return undefined;
    }
  }

  size(path: string): number | undefined {
    try {
      return this.stat(path)?.size;
    } catch {
      return undefined;
    }
  }

  readBytes(path: string, maxBytes: number): Uint8Array | undefined {
    try {
      const st = this.stat(path);
      if (!st?.isFile() || st.size > maxBytes) return undefined;
      const bytes = nodeFs.readFileSync(path);
      return bytes.length > maxBytes ? undefined : bytes;
    } catch {
      return undefined;
    }
  }
}

/** An in-memory file system (absolute POSIX paths) for tests. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();
  private readonly binaries = new Map<string, Uint8Array>();

  constructor(files: Record<string, string> = {}, root = '/') {
    for (const [p, text] of Object.entries(files)) this.write(nodePath.posix.join(root, p), text);
  }

  write(path: string, text: string): void {
    this.files.set(nodePath.posix.normalize(path), text);
  }

  /** A binary file (listed as a file, read with readBytes only). */
  writeBytes(path: string, bytes: Uint8Array): void {
    const p = nodePath.posix.normalize(path);
    this.binaries.set(p, bytes);
    this.files.set(p, '');
  }

  delete(path: string): void {
    this.files.delete(nodePath.posix.normalize(path));
    this.binaries.delete(nodePath.posix.normalize(path));
  }

  readBytes(path: string, maxBytes: number): Uint8Array | undefined {
    const p = nodePath.posix.normalize(path);
    const b = this.binaries.get(p) ?? (this.files.has(p) ? new TextEncoder().encode(this.files.get(p)) : undefined);
    return b && b.length <= maxBytes ? b : undefined;
  }

  readText(path: string): string | undefined {
    return this.files.get(nodePath.posix.normalize(path));
  }

  exists(path: string): boolean {
    const p = nodePath.posix.normalize(path);
    return this.files.has(p) || this.isDirectory(p);
  }

  isDirectory(path: string): boolean {
    const prefix = nodePath.posix.normalize(path).replace(/\/$/, '') + '/';
    for (const f of this.files.keys()) if (f.startsWith(prefix)) return true;
    return false;
  }

  readDir(path: string): DirEntry[] {
    const prefix = nodePath.posix.normalize(path).replace(/\/$/, '') + '/';
    const seen = new Map<string, DirEntry>();
    for (const f of this.files.keys()) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const name = rest.split('/')[0]!;
      const isDir = rest.includes('/');
      if (!seen.has(name)) seen.set(name, { name, isFile: !isDir, isDirectory: isDir, isSymbolicLink: false });
    }
    return [...seen.values()];
  }

  realpath(path: string): string | undefined {
    return this.exists(path) ? nodePath.posix.normalize(path) : undefined;
  }

  size(path: string): number | undefined {
    const p = nodePath.posix.normalize(path);
    return this.binaries.get(p)?.length ?? this.files.get(p)?.length;
  }
}

/** A file system whose reads prefer the given overlay (open editor buffers) over the inner one. */
export class OverlayFileSystem implements FileSystem {
  constructor(
    private readonly inner: FileSystem,
    private readonly overlay: (path: string) => string | undefined,
  ) {}

  readText(path: string): string | undefined {
    const o = this.overlay(path);
    // an open buffer is held to the same size limit as a file on disk
    if (o !== undefined) return textTooLarge(o) ? undefined : o;
    return this.inner.readText(path);
  }
  exists(path: string): boolean {
    return this.overlay(path) !== undefined || this.inner.exists(path);
  }
  isDirectory(path: string): boolean {
    return this.inner.isDirectory(path);
  }
  readDir(path: string): DirEntry[] {
    return this.inner.readDir(path);
  }
  realpath(path: string): string | undefined {
    return this.inner.realpath(path) ?? (this.overlay(path) !== undefined ? path : undefined);
  }
  size(path: string): number | undefined {
    const o = this.overlay(path);
    return o !== undefined ? Buffer.byteLength(o, 'utf8') : this.inner.size(path);
  }
  readBytes(path: string, maxBytes: number): Uint8Array | undefined {
    return this.inner.readBytes?.(path, maxBytes);
  }
  forget(path?: string): void {
    this.inner.forget?.(path);
  }
}
