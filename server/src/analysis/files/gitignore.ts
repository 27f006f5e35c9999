// .gitignore semantics for the files of one workspace, as git applies them: a path inside an ignored
// directory is ignored; otherwise the .gitignore files from the root down to the path's folder are
// consulted in order and the last one with a matching rule (ignore or `!` negation) decides.
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { FileSystem } from './fs';
import { type TrackedPaths, trackedPaths } from './gitIndex';

export class GitIgnore {
  private readonly byDir = new Map<string, Ignore | null>();
  private readonly dirCache = new Map<string, boolean>();
  /** What the repository at the root tracks (its .git/index): null when it has none. */
  private tracked: TrackedPaths | null | undefined;

  constructor(
    private readonly fs: FileSystem,
    private readonly root: string,
  ) {}

  /** Reads `dir/.gitignore` once (the scan loads directories as it reaches them; others load lazily). */
  loadDirectory(dir: string): void {
    if (this.byDir.has(dir)) return;
    const text = this.fs.readText(path.join(dir, '.gitignore'));
    this.byDir.set(dir, text !== undefined ? ignore().add(text) : null);
  }

  /**
   * Whether git ignores `file` (absolute). Directories need `isDir` for patterns like `build/`. A
   * file the repository's index tracks (committed with `git add -f`) is never ignored, nor a folder
   * that holds one: .gitignore does not apply to tracked files.
   */
  ignores(file: string, isDir: boolean): boolean {
    const rel = path.relative(this.root, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    if (this.tracked === undefined) this.tracked = trackedPaths(this.fs, this.root) ?? null;
    if (this.tracked) {
      const posix = rel.split(path.sep).join('/');
      if (isDir ? this.tracked.dirs.has(posix) : this.tracked.files.has(posix)) return false;
    }
    const parent = path.dirname(file);
    if (parent !== this.root && this.ignoresDir(parent)) return true;
    return this.decide(file, isDir);
  }

  private ignoresDir(dir: string): boolean {
    const cached = this.dirCache.get(dir);
    if (cached !== undefined) return cached;
    const result = this.ignores(dir, true);
    this.dirCache.set(dir, result);
    return result;
  }

  private decide(file: string, isDir: boolean): boolean {
    let ignored = false;
    let dir = this.root;
    const parts = path
      .relative(this.root, path.dirname(file))
      .split(path.sep)
      .filter((p) => p !== '');
    for (let i = 0; i <= parts.length; i++) {
      this.loadDirectory(dir);
      const ig = this.byDir.get(dir);
      if (ig) {
        const rel = path.relative(dir, file).split(path.sep).join('/') + (isDir ? '/' : '');
        const r = ig.test(rel);
        if (r.ignored) ignored = true;
        else if (r.unignored) ignored = false;
      }
      if (i < parts.length) dir = path.join(dir, parts[i]!);
    }
    return ignored;
  }
}
