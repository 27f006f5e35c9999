// Which migration files a report is about. Old, applied migrations are history: the editor and the
// CLI `migrations` command report on the migrations added or changed relative to the default branch
// (the change set), `--since REF` relative to another ref, `--all` on every one.
//
//   projectMigrationFiles(ws, project, projects) → every `<app>/migrations/*.py` module of the project
//   migrationChangeSet(root, files, { since?, all? }) → ChangeSet: the subset to report, and why
//
// The change set comes from git, run with execFile (no shell), bounded (GIT_TIMEOUT_MS, output
// capped), in the project's folder, with what a repository's own configuration could make git run
// switched off (fsmonitor hooks, external diff drivers). What git reports is only intersected with
// the files the scan found, so nothing outside the workspace is ever read because of it.
//
// Base of the default change set: the merge base of HEAD with origin's HEAD (refs/remotes/origin/HEAD),
// else with origin/main, origin/master, main or master. Added, copied, modified, renamed or retyped
// files between that base and the working tree (staged or not), and untracked files not ignored.
// A repository without commits: every migration file is new.
// The same two git calls also name the models files (`models.py`, `models/*.py`) added, changed or
// untracked: the app folders whose models changed (DDM012 pairs them with untracked migrations).
//
// Decision, when there is no change set to be had (git missing, not a repository, no default branch
// to compare with): the newest migration of each app (the highest-numbered file of each migrations
// folder) is reported, and the reason is said in `fallback`. Reporting nothing would pass a CI run
// that checked nothing; reporting every migration would bury the new one under years of applied
// history. `--all` needs no git at all.
import type * as ChildProcess from 'node:child_process';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { isWithin } from '../../files/fs';
import type { DjangoProject } from '../project/model';
import type { FileView } from '../../files/view';
import { isMigrationFile } from './history';
import { migrationFilesOf, type MigrationGitFacts } from './run';

export { isMigrationFile };

/**
 * Every migration module of a project's apps, sorted (migrationFilesOf: what the scan found under
 * its root, so git-ignored files and virtualenvs are not in it), without those of another project
 * nested inside it, which has its own.
 */
export function projectMigrationFiles(ws: FileView, project: DjangoProject, projects: readonly DjangoProject[] = []): string[] {
  const nested = projects.filter((p) => p.root !== project.root && isWithin(project.root, p.root)).map((p) => p.root);
  return migrationFilesOf(ws, project).filter((f) => !nested.some((r) => isWithin(r, f)));
}

/** What `migrationChangeSet` was asked for. */
export interface ChangeSetRequest {
  /** Compare with the merge base of HEAD and this ref instead of the default branch. */
  readonly since?: string;
  /** Every migration file: no git needed. */
  readonly all?: boolean;
}

export interface ChangeSet {
  /** The migration files to report on (a subset of those given), sorted. */
  readonly files: string[];
  /** all: every file; changed: git's change set; newest: the fallback described at the top. */
  readonly scope: 'all' | 'changed' | 'newest';
  /** One line for people: what the set is ("added or changed since the merge base with origin/main (1a2b3c4)"). */
  readonly description: string;
  /** Why git's change set could not be had, when scope is 'newest'. */
  readonly fallback?: string;
  /** Migration files git does not track (new ones not added yet); only with a repository. */
  readonly untracked: string[];
  /** The base commit compared with, when there is one. */
  readonly base?: { readonly ref: string; readonly commit: string };
  /** App folders (absolute) whose models.py or models/ package was added or changed since the base; only with a repository. */
  readonly modelsChanged: string[];
  /** How many migration files the project has in all. */
  readonly total: number;
}

/**
 * The change set in words, for a project's report line and its checklist item: "2 of 14 migrations
 * checked: added or changed since the merge base with main (1a2b3c4)"; `open` more files open in
 * the editor are checked besides.
 */
export function changeSetLine(cs: ChangeSet, open = 0): string {
  const n = cs.files.length;
  const what = cs.scope === 'all' ? `${n} migration${n === 1 ? '' : 's'}` : `${n} of ${cs.total} migration${cs.total === 1 ? '' : 's'}`;
  const more = open > 0 ? ` and ${open} open in the editor` : '';
  return `${what} checked${more}: ${cs.description}${cs.fallback ? ` (${cs.fallback})` : ''}`;
}

/** A ref given with --since that git does not know. */
export class UnknownRefError extends Error {}

/** Runs git; resolves to its stdout, or to an error saying why not (never rejects). */
export type GitRunner = (cwd: string, args: readonly string[]) => Promise<{ ok: true; stdout: string } | { ok: false; error: string }>;

/** How long one git command may run. */
export const GIT_TIMEOUT_MS = 10_000;
const GIT_MAX_OUTPUT = 32 * 1024 * 1024;
/** git's empty tree: the base of a repository without commits. */
/**
 * node:child_process, loaded when git is first run: requiring it at start-up (it brings net and
 * dgram with it) cost every CLI run ~10 ms, and only `migrations` and `checklist` run git.
 */
let childProcess: typeof ChildProcess | undefined;

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/**
 * git through execFile: no shell, a time limit, capped output, no prompt, no optional locks, and
 * configuration that could run a program of the repository's choosing turned off. Variables a git
 * hook sets (GIT_DIR, GIT_INDEX_FILE…) are dropped: `cwd` decides the repository.
 */
export const runGit: GitRunner = (cwd, args) =>
  new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY']) delete env[k];
    try {
      childProcess ??= require('node:child_process') as typeof ChildProcess;
      childProcess.execFile(
        'git',
        ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', ...args],
        { cwd, env, timeout: GIT_TIMEOUT_MS, maxBuffer: GIT_MAX_OUTPUT, windowsHide: true, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (!err) resolve({ ok: true, stdout });
          else {
            const e = err as NodeJS.ErrnoException & { killed?: boolean };
            const why =
              e.code === 'ENOENT'
                ? 'git is not installed'
                : e.killed
                  ? `git did not answer within ${GIT_TIMEOUT_MS / 1000} s`
                  : (stderr || e.message).trim().split('\n')[0]!;
            resolve({ ok: false, error: why });
          }
        },
      );
    } catch (e) {
      resolve({ ok: false, error: (e as Error).message });
    }
  });

function realpath(p: string): string {
  try {
    return nodeFs.realpathSync(p);
  } catch {
    return p;
  }
}

/** The newest (highest-numbered) migration of each migrations folder. */
function newestPerApp(files: readonly string[]): string[] {
  const byDir = new Map<string, string>();
  for (const f of files) {
    const d = path.dirname(f);
    const cur = byDir.get(d);
    if (cur === undefined || path.basename(f).localeCompare(path.basename(cur), 'en', { numeric: true }) > 0) byDir.set(d, f);
  }
  return [...byDir.values()].sort();
}

function nulList(stdout: string): string[] {
  return stdout.split('\0').filter((s) => s.length > 0);
}

/** What git says about one repository, for every project in it. */
type RepositoryChanges =
  | {
      readonly logicalTop: string;
      readonly base: { readonly ref: string; readonly commit: string };
      readonly description: string;
      /** Migration-like paths changed since the base (relative to the top, forward slashes). */
      readonly changedRel: readonly string[];
      readonly untrackedRel: readonly string[];
    }
  | { readonly fallback: string };

/** The repository answers of one run, by repository top, request and the path it was named by. */
export type RepositoryChangesCache = Map<string, Promise<RepositoryChanges>>;

/** The default branches tried, in order, after origin's HEAD. */
const DEFAULT_BRANCHES = ['refs/remotes/origin/main', 'refs/remotes/origin/master', 'refs/heads/main', 'refs/heads/master'];

/**
 * git's change set of the repository around `root`: its top, the base and what changed since it.
 * Independent questions are asked together; a run's projects in one repository share the answer.
 */
async function repositoryChanges(
  root: string,
  request: ChangeSetRequest,
  git: GitRunner,
  cache: RepositoryChangesCache | undefined,
): Promise<RepositoryChanges> {
  const [top, headRef] = await Promise.all([
    git(root, ['rev-parse', '--show-toplevel']),
    git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
  ]);
  if (!top.ok) return { fallback: /not a git repository/i.test(top.error) ? 'not a git repository' : top.error };
  const toplevel = top.stdout.trim();
  // git answers with real paths; the files are named as the workspace names them
  const relTop = path.relative(realpath(root), toplevel);
  const logicalTop = path.isAbsolute(relTop) ? toplevel : path.resolve(root, relTop);
  const key = `${logicalTop}\0${request.since ?? ''}`;
  let answer = cache?.get(key);
  if (!answer) {
    answer = askRepository(toplevel, logicalTop, headRef.ok ? headRef.stdout.trim() : undefined, request, git);
    cache?.set(key, answer);
  }
  return answer;
}

async function askRepository(
  toplevel: string,
  logicalTop: string,
  head: string | undefined,
  request: ChangeSetRequest,
  git: GitRunner,
): Promise<RepositoryChanges> {
  let base: { ref: string; commit: string } | undefined;
  let description: string;
  if (request.since !== undefined) {
    if (request.since.startsWith('-')) throw new UnknownRefError(`${request.since} is not a git ref`);
    const r = await git(toplevel, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${request.since}^{commit}`]);
    if (!r.ok) throw new UnknownRefError(`git does not know ${request.since}`);
    const commit = r.stdout.trim();
    const mb = head ? await git(toplevel, ['merge-base', head, commit]) : undefined;
    base = { ref: request.since, commit: mb?.ok ? mb.stdout.trim() : commit };
    description = `added or changed since ${mb?.ok && base.commit !== commit ? `the merge base with ${request.since}` : request.since} (${base.commit.slice(0, 7)})`;
  } else if (!head) {
    base = { ref: '(no commits yet)', commit: EMPTY_TREE };
    description = 'added in a repository without commits';
  } else {
    // one question for every candidate: which of them exist (origin's HEAD names its target)
    const refs = await git(toplevel, [
      'for-each-ref',
      '--format=%(refname)%00%(objectname)%00%(symref)',
      'refs/remotes/origin/HEAD',
      ...DEFAULT_BRANCHES,
    ]);
    const found = new Map<string, { commit: string; symref: string }>();
    if (refs.ok)
      for (const line of refs.stdout.split('\n')) {
        const [name, commit, symref] = line.split('\0');
        if (name && commit) found.set(name, { commit, symref: symref ?? '' });
      }
    const originHead = found.get('refs/remotes/origin/HEAD');
    const order = [...(originHead?.symref ? [originHead.symref] : []), ...DEFAULT_BRANCHES];
    for (const ref of order) {
      const commit = ref === originHead?.symref ? originHead.commit : found.get(ref)?.commit;
      if (!commit) continue;
      const mb = await git(toplevel, ['merge-base', head, commit]);
      if (!mb.ok) continue;
      base = { ref: ref.replace(/^refs\/(remotes|heads)\//, ''), commit: mb.stdout.trim() };
      break;
    }
    if (!base) return { fallback: 'no default branch to compare with (no origin/HEAD, main or master); pass --since REF' };
    description = `added or changed since the merge base with ${base.ref} (${base.commit.slice(0, 7)})`;
  }
  const pathspec = ['--', '*migrations/*.py', '*models.py', '*models/*.py'];
  const [diff, others] = await Promise.all([
    git(toplevel, ['diff', '--name-only', '-z', '--no-ext-diff', '--no-renames', '--diff-filter=ACMRT', base.commit, ...pathspec]),
    git(toplevel, ['ls-files', '-z', '--others', '--exclude-standard', ...pathspec]),
  ]);
  if (!diff.ok) return { fallback: diff.error };
  return {
    logicalTop,
    base,
    description,
    changedRel: nulList(diff.stdout),
    untrackedRel: others.ok ? nulList(others.stdout) : [],
  };
}

/**
 * The migration files of `files` that a report is about (see the top of this file). `root` is the
 * project's folder (git runs there); `files` are its migration files (projectMigrationFiles).
 * Throws UnknownRefError when `since` names nothing git knows.
 */
export async function migrationChangeSet(
  root: string,
  files: readonly string[],
  request: ChangeSetRequest = {},
  git: GitRunner = runGit,
  /** Shared by the projects of one run: git is asked once per repository (see RepositoryChangesCache). */
  cache?: RepositoryChangesCache,
): Promise<ChangeSet> {
  const sorted = [...files].sort();
  const total = sorted.length;
  if (request.all) return { files: sorted, scope: 'all', description: 'every migration', untracked: [], modelsChanged: [], total };
  const fallback = (why: string): ChangeSet => ({
    files: newestPerApp(sorted),
    scope: 'newest',
    description: 'the newest migration of each app',
    fallback: why,
    untracked: [],
    modelsChanged: [],
    total,
  });
  const repo = await repositoryChanges(root, request, git, cache);
  if ('fallback' in repo) return fallback(repo.fallback);
  const { logicalTop, base, description, changedRel, untrackedRel } = repo;
  const known = new Set(sorted);
  const toFile = (rel: string): string => path.join(logicalTop, ...rel.split('/'));
  const changed = new Set([...changedRel, ...untrackedRel].map(toFile).filter((f) => known.has(f)));
  return {
    files: sorted.filter((f) => changed.has(f)),
    scope: 'changed',
    description,
    untracked: untrackedRel
      .map(toFile)
      .filter((f) => known.has(f))
      .sort(),
    base,
    modelsChanged: [...new Set([...changedRel, ...untrackedRel].map(modelsApp).filter((a) => a !== undefined))].map(toFile).sort(),
    total,
  };
}

/** Whether `file` is a models module (`<app>/models.py`, `<app>/models/<name>.py`). */
export function isModelsFile(file: string): boolean {
  return modelsApp(file.split(path.sep).join('/')) !== undefined;
}

/** The app folder (relative, forward slashes) of a models module: `shop/models.py`, `shop/models/order.py` → `shop`. */
function modelsApp(rel: string): string | undefined {
  const parts = rel.split('/');
  if (parts.at(-1) === 'models.py') return parts.slice(0, -1).join('/');
  if (parts.length >= 2 && parts.at(-2) === 'models' && parts.at(-1)!.endsWith('.py')) return parts.slice(0, -2).join('/');
  return undefined;
}

/** What DDM012 needs of a change set: undefined when git's change set could not be had (or was not asked: --all). */
export function migrationGitFacts(cs: ChangeSet | undefined): MigrationGitFacts | undefined {
  if (!cs || cs.scope !== 'changed') return undefined;
  return { untracked: cs.untracked, modelsChanged: cs.modelsChanged };
}
