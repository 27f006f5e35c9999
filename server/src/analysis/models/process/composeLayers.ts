// The compose files a deployment merges: a command line of the repository's deployment files — a
// production deploy job of CI (readers/process/ciDeployRuns.ts), a shell script not filed for
// development or tests, a Makefile's deploy target — that starts containers from several compose
// files (`docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d`, or
// `COMPOSE_FILE=docker-compose.yml:docker-compose.prod.yml docker compose up -d`) runs their merge
// (catalogue composeEnvironment.ts COMPOSE_FILE_ORDER, COMPOSE_MERGE): production's services are
// the merged ones (sources/compose.ts reads the last file as readers/container/compose.ts
// mergeComposeLayers merges them), and a file such a command lays another over, which no command
// runs alone, is not production's by itself. A file named by a variable (`-f docker-compose.$ENV.yml`)
// or not in the repository cannot be merged: what it adds to the files before it is unknown, and
// said so.
import * as path from 'node:path';
import { shownPath } from '../../base/relPath';
import { ciDeployRuns } from '../../readers/process/ciDeployRuns';
import { makeRecipe } from '../../readers/process/makefile';
import { devReasonOfPath, namedForProduction, namedForStaging } from '../../readers/devPaths';
import type { Collected } from './collect';

/** What the repository's deployment commands do with its compose files. */
export interface ComposeLayering {
  /** The files a command merges, by the last one's path: all of them in order, and the command's place (`deploy.yml:15`). */
  readonly merged: ReadonlyMap<string, { readonly files: readonly string[]; readonly by: string }>;
  /** The files a command lays another over and none runs alone: why they are not production's by themselves. */
  readonly under: ReadonlyMap<string, string>;
  /** The files a command lays a file over that cannot be read (named by a variable, not in the repository): what is unknown. */
  readonly unknownOver: ReadonlyMap<string, string>;
  /** The files a command names (`-f docker-compose.yml`) and runs alone, with the command's place: production's by that command. */
  readonly runByName: ReadonlyMap<string, string>;
}

/** The compose subcommands that start containers (not build, push, pull, config, down). */
const STARTS = new Set(['up', 'run', 'start', 'restart', 'create']);

/** The names compose reads without `-f` (the Compose specification's default files). */
const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The Makefile targets that deploy. */
const DEPLOY_TARGETS = ['deploy', 'prod', 'production', 'release', 'deploy-prod', 'deploy-production'];

/** A compose command line: the files its `-f` options (or COMPOSE_FILE) name, in order, and whether it starts containers. */
export interface ComposeCommand {
  readonly files: readonly string[];
  readonly starts: boolean;
  /**
   * The subcommand is the script's own arguments (`docker compose -f a.yml -f b.yml "$@"`, no
   * subcommand of its own): whoever runs the script chooses it, `up -d` among them.
   */
  readonly passesArgs?: true;
}

/** The words a shell expands to a script's arguments. */
const SCRIPT_ARGS = new Set(['$@', '$*', '${@}', '${*}']);

/** The options of `docker compose` (and `docker stack`) given before the subcommand that take the next word as their value. */
const OPTIONS_WITH_VALUE = new Set([
  '-p',
  '--project-name',
  '--env-file',
  '--profile',
  '--project-directory',
  '--ansi',
  '--progress',
  '--parallel',
]);

/**
 * The compose command on a line (`docker compose …`, `docker-compose …`, `docker stack deploy -c …`),
 * or undefined; `composeFileVar` the COMPOSE_FILE an earlier line of the same script exported.
 */
export function composeCommandOf(line: string, composeFileVar?: string): ComposeCommand | undefined {
  const words = line.split(/[\s"'`;&|()]+/).filter((w) => w !== '');
  const at = composeCommandAt(words);
  if (at < 0) return undefined;
  const files: string[] = [];
  let starts = false;
  // the first word that is not an option or an option's value: the subcommand
  let subcommand: string | undefined;
  for (let i = at; i < words.length; i++) {
    const w = words[i]!;
    if ((w === '-f' || w === '--file' || w === '-c' || w === '--compose-file') && i + 1 < words.length) files.push(words[++i]!);
    else if (w.startsWith('--file=') || w.startsWith('--compose-file=')) files.push(w.slice(w.indexOf('=') + 1));
    else if (subcommand === undefined && OPTIONS_WITH_VALUE.has(w)) i++;
    else if (subcommand === undefined && w.startsWith('-')) continue;
    else {
      subcommand ??= w;
      if (STARTS.has(w) || (w === 'deploy' && words[i - 1] === 'stack')) starts = true;
    }
  }
  // (a subcommand of its own decides: `docker compose -f a.yml logs "$@"` starts nothing)
  const passesArgs = subcommand !== undefined && SCRIPT_ARGS.has(subcommand);
  if (files.length === 0) {
    // `COMPOSE_FILE=a.yml:b.yml docker compose up` (the line's own assignment, else the script's export)
    const own = words.slice(0, at).find((w) => w.startsWith('COMPOSE_FILE='));
    const list = own ? own.slice('COMPOSE_FILE='.length) : composeFileVar;
    if (list) files.push(...list.split(':').filter((x) => x !== ''));
  }
  return passesArgs && !starts ? { files, starts, passesArgs } : { files, starts };
}

/** Where a line's compose command's arguments start (after `docker compose`, `docker-compose`, `docker stack`), or -1. */
function composeCommandAt(words: readonly string[]): number {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'docker-compose' || w.endsWith('/docker-compose')) return i + 1;
    if ((w === 'docker' || w === 'podman' || w.endsWith('/docker')) && (words[i + 1] === 'compose' || words[i + 1] === 'stack'))
      return i + 2;
    if (w === 'podman-compose') return i + 1;
  }
  return -1;
}

/** `export COMPOSE_FILE=…` (or a plain assignment) on a line of its own. */
const COMPOSE_FILE_EXPORT = /^\s*(?:export\s+)?COMPOSE_FILE=["']?([^\s"';]+)/;

/** One production deployment script: its lines, each with its start offset in the file, and where it runs. */
interface DeployScript {
  readonly file: string;
  readonly lines: readonly { readonly text: string; readonly offset: number }[];
  readonly cwd: string;
  /** The folders a path it names may be relative to, nearest first (a script in `scripts/` is run from the project's root). */
  readonly from: readonly string[];
  /** Its name or folder says production (`scripts/run_prod.sh`, `deploy/…`), not staging. */
  readonly forProduction: boolean;
}

function deployScripts(r: Collected): DeployScript[] {
  const out: DeployScript[] = [];
  for (const f of r.project.files) {
    if (f.kind !== 'shell' && f.kind !== 'ci') continue;
    const rel = shownPath(r.project, f.path);
    // (a script filed for development or tests runs the local stack)
    if (f.kind === 'shell' && devReasonOfPath(rel)) continue;
    const text = r.ws.fs.readText(f.path);
    if (text === undefined || !/compose/i.test(text)) continue;
    const cwd = path.dirname(f.path);
    const from = foldersUp(cwd, r.project.root);
    const forProduction = namedForProduction(rel) && !namedForStaging(path.basename(f.path));
    if (f.kind === 'shell') {
      out.push({ file: f.path, lines: linesOf(text, 0), cwd, from, forProduction });
      continue;
    }
    if (/\.ya?ml$/i.test(f.path)) {
      for (const run of ciDeployRuns(f.path, text)) {
        const lines: { text: string; offset: number }[] = [];
        let at = 0;
        for (const line of run.script.text.split('\n')) {
          lines.push({ text: line, offset: run.script.loc(at, at + 1).start });
          at += line.length + 1;
        }
        out.push({ file: f.path, lines, cwd: run.cwd, from: [run.cwd], forProduction: true });
      }
      continue;
    }
    if (path.basename(f.path) === 'Makefile' || path.basename(f.path) === 'justfile')
      for (const target of DEPLOY_TARGETS) {
        const recipe = makeRecipe(f.path, text, target);
        if (recipe)
          out.push({
            file: f.path,
            lines: recipe.map((m) => ({ text: m.text, offset: m.loc(0, 1).start })),
            cwd,
            from: [cwd],
            forProduction: true,
          });
      }
  }
  return out;
}

/** A folder and the ones above it up to the project's root (the folders a script in it may be run from). */
function foldersUp(dir: string, root: string): string[] {
  const out = [dir];
  for (let d = dir; d !== root && d.startsWith(root + path.sep); ) {
    d = path.dirname(d);
    out.push(d);
  }
  return out;
}

function linesOf(text: string, base: number): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    out.push({ text: line, offset: base + at });
    at += line.length + 1;
  }
  return out;
}

/** Each build's layering, read when its first compose file is. */
const memo = new WeakMap<Collected, ComposeLayering>();

/** The repository's deployment commands' use of its compose files, read once per process model. */
export function composeLayering(r: Collected): ComposeLayering {
  const known = memo.get(r);
  if (known) return known;
  const merged = new Map<string, { files: string[]; by: string }>();
  const laidUnder = new Map<string, string>();
  const alone = new Set<string>();
  const runByName = new Map<string, string>();
  const unknownOver = new Map<string, string>();
  const composeFiles = r.composeFiles.map((f) => f.path);
  // a file a command names: the compose file at that path from where it runs, else the only one of that name
  const resolve = (word: string, cwd: string): string | undefined => {
    if (word.includes('$') || word.includes('{{')) return undefined;
    const at = path.resolve(cwd, word);
    if (composeFiles.includes(at)) return at;
    const named = composeFiles.filter((p) => path.basename(p) === path.basename(word));
    return named.length === 1 ? named[0] : undefined;
  };
  // where the command runs: the script's folder, else the nearest folder above it from which every
  // file it names is there (a shell script in `scripts/` run as `./scripts/run_prod.sh` from the
  // project's root; compose takes every -f from the one working directory)
  const runsIn = (words: readonly string[], from: readonly string[]): string =>
    from.find((dir) => words.every((w) => composeFiles.includes(path.resolve(dir, w)))) ?? from[0]!;
  if (composeFiles.length > 0)
    for (const script of deployScripts(r)) {
      const text = r.ws.fs.readText(script.file) ?? '';
      let exported: string | undefined;
      for (const line of script.lines) {
        if (/^\s*#/.test(line.text)) continue;
        const ex = COMPOSE_FILE_EXPORT.exec(line.text);
        if (ex && !/\b(?:docker|podman)(?:-compose)?\b/.test(line.text)) {
          exported = ex[1];
          continue;
        }
        const cmd = composeCommandOf(line.text, exported);
        // (a script named for production that hands compose its arguments, `run_prod.sh up -d`, is
        // how production's stack is started by hand)
        if (!cmd || !(cmd.starts || (cmd.passesArgs && script.forProduction))) continue;
        if (cmd.files.length === 0) {
          // (compose's default file where the command runs, run alone — its override aside)
          for (const name of DEFAULT_COMPOSE_FILES) {
            const p = path.resolve(script.cwd, name);
            if (composeFiles.includes(p)) alone.add(p);
          }
          continue;
        }
        const by = `${shownPath(r.project, script.file)}:${lineNumber(text, line.offset)}`;
        const cwd = runsIn(cmd.files, script.from);
        const files = cmd.files.map((w) => ({ word: w, file: resolve(w, cwd) }));
        const read = files.filter((x): x is { word: string; file: string } => x.file !== undefined);
        const unread = files.filter((x) => x.file === undefined);
        if (unread.length > 0) {
          // what a file the repository cannot show adds to the ones it lays over is unknown
          const words = unread.map((x) => x.word).join(', ');
          for (const x of read)
            if (!unknownOver.has(x.file))
              unknownOver.set(
                x.file,
                `${words}, laid over it by ${by} (${unread.some((u) => u.word.includes('$')) ? 'a compose file named by a variable' : 'a compose file not in the repository'})`,
              );
          continue;
        }
        if (read.length === 1) {
          alone.add(read[0]!.file);
          if (!runByName.has(read[0]!.file)) runByName.set(read[0]!.file, by);
          continue;
        }
        const ordered = read.map((x) => x.file);
        // (a command that lays a file for development or tests over another runs the local stack)
        if (ordered.some((p) => devReasonOfPath(shownPath(r.project, p)))) continue;
        const last = ordered[ordered.length - 1]!;
        if (!merged.has(last)) merged.set(last, { files: ordered, by });
        for (const f of ordered.slice(0, -1))
          if (!laidUnder.has(f)) laidUnder.set(f, `${by} runs it only with ${path.basename(last)} laid over it: read merged there`);
      }
    }
  const under = new Map([...laidUnder].filter(([f]) => !alone.has(f) && !merged.has(f)));
  const layering = { merged, under, unknownOver, runByName };
  memo.set(r, layering);
  return layering;
}

function lineNumber(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
