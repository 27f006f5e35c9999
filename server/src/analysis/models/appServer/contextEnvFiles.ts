// The developer's env files a production image takes from its build context: a COPY or ADD whose
// source is the whole context (`COPY . /app`) or a folder holding the file, where the repository's
// .gitignore ignores an env file there (`.env`: it is in developers' checkouts, not the repository)
// and no .dockerignore of the build leaves it out (catalogue/dockerBuild.ts DOCKERIGNORE_FILES,
// files/dockerignore.ts). Committed templates (`.env.example`) are not such files.
import * as path from 'node:path';
import { lineIndexAt } from '../../base/lines';
import { shownPath } from '../../base/relPath';
import { DOCKERIGNORE_FILES } from '../../catalogue/dockerBuild';
import { ENV_FILE_LOADERS } from '../../catalogue/libraries/environmentReaders';
import { envTemplateNames, isEnvTemplateName } from '../../catalogue/templateNames';
import { dockerIgnoreDecision, parseDockerIgnore } from '../../files/dockerignore';
import type { Loc } from '../../eval/values';
import { composeDir } from '../../readers/container/compose';
import { contextSource, stageChain, type Dockerfile, type DockerStage } from '../../readers/container/dockerfile';
import type { ProcessModel } from '../process/index';
import type { DjangoProject } from '../project/model';
import type { ProjectFileView } from '../project/files';

export interface CopiedEnvFile {
  /** COPY or ADD. */
  readonly keyword: string;
  /** The COPY/ADD source that takes it (`.`), where it is written. */
  readonly source: string;
  readonly sourceLoc: Loc;
  /** The env files it takes, as shown (`.env`, `backend/.env.prod`). */
  readonly files: readonly string[];
  /** Their paths in the build context, as a .dockerignore line writes them (`.env`). */
  readonly entries: readonly string[];
  /** The .dockerignore the build reads, as shown, when there is one (it leaves these files in). */
  readonly dockerignore?: string;
  /** The .dockerignore to add them to, as shown: that one, else the context's. */
  readonly dockerignoreToEdit: string;
  /** The stage it is copied in, when not the final one: its name, and the final stage's `COPY --from` that takes its files. */
  readonly viaStage?: string;
}

/** An env file's name: `.env`, `.env.prod`, `prod.env`. */
const ENV_FILE_NAME = /^(?:\.env(?:\.[\w-]+)?|[\w-]+\.env)$/;

/** The build contexts of a Dockerfile: those of the compose services building it; else its own folder. */
function contextsOf(processes: ProcessModel, d: Dockerfile): string[] {
  const out = new Set<string>();
  for (const c of processes.compose)
    for (const s of c.services) {
      if (!s.build) continue;
      const context = path.resolve(composeDir(c), s.build.context);
      if (path.resolve(context, s.build.dockerfile) === d.file) out.add(context);
    }
  return out.size > 0 ? [...out] : [path.dirname(d.file)];
}

/**
 * The env files git ignores in `context` that developers' checkouts hold: `.env` beside a .gitignore
 * (from the repository's root down to the context) that ignores it, an env file such a .gitignore
 * names (`.env.prod` there, `/backend/.env`), and one of those names at the context's root where the
 * checkout has it or a committed template of it is beside it (`.env.example`); never a template's name.
 */
function ignoredEnvFiles(ws: ProjectFileView, context: string): string[] {
  const scan = ws.scanFor(context);
  if (!scan) return [];
  const rel = path.relative(scan.root, context);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return [];
  const candidates = new Set<string>();
  const names = new Set<string>(['.env']);
  const dirs = [scan.root];
  for (const part of rel.split(path.sep).filter((p) => p !== '')) dirs.push(path.join(dirs[dirs.length - 1]!, part));
  for (const dir of dirs) {
    const text = ws.fs.readText(path.join(dir, '.gitignore'));
    if (text === undefined) continue;
    candidates.add(path.join(dir, '.env'));
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith('!') || /[*?[\\]/.test(line)) continue;
      const written = withoutTrailingSlashes(line);
      const name = path.posix.basename(written);
      if (!ENV_FILE_NAME.test(name)) continue;
      const anchored = written.replace(/^\/+/, '').includes('/') || written.startsWith('/');
      if (anchored) candidates.add(path.join(dir, written.replace(/^\/+/, '')));
      else {
        candidates.add(path.join(dir, name));
        names.add(name);
      }
    }
  }
  for (const name of names) {
    const here = path.join(context, name);
    if (ws.fs.exists(here) || envTemplateNames(name).some((t) => ws.fs.exists(path.join(context, t)))) candidates.add(here);
  }
  return [...candidates].filter(
    (f) =>
      f.startsWith(context + path.sep) && !isEnvTemplateName(path.basename(f)) && !ws.fs.isDirectory(f) && scan.gitignore.ignores(f, false),
  );
}

/** The .dockerignore a build of `d` from `context` reads: `<Dockerfile>.dockerignore` beside it first, else the context's. */
function dockerignoreOf(ws: ProjectFileView, d: Dockerfile, context: string): { file: string; text: string } | undefined {
  const { context: name, besideDockerfileSuffix } = DOCKERIGNORE_FILES.value;
  for (const file of [d.file + besideDockerfileSuffix, path.join(context, name)]) {
    const text = ws.fs.readText(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

/** `a/b//` → `a/b` (a loop: no regular expression anchored at the end). */
function withoutTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}

/** Whether a COPY --from source (`/app`, `/`) holds the folder a whole-context copy filled (`/app/`). */
function holds(fromSource: string, dest: string): boolean {
  const a = withoutTrailingSlashes(path.posix.normalize(fromSource)) || '/';
  const b = withoutTrailingSlashes(path.posix.normalize(dest)) || '/';
  return a === '/' || b === a || b.startsWith(a + '/');
}

/**
 * The COPY/ADD sources of the image `d` builds (its final stage and the stages it is built on; a
 * stage the final chain copies from with `COPY --from` at or above where that stage put them) that
 * take an env file git ignores, the .dockerignore left aside.
 */
export function envFilesCopiedIntoImage(
  ws: ProjectFileView,
  project: DjangoProject,
  processes: ProcessModel,
  d: Dockerfile,
): CopiedEnvFile[] {
  const out: CopiedEnvFile[] = [];
  const seen = new Set<string>();
  const chain = stageChain(d);
  const fromStages: { stage: DockerStage; sources: string[] }[] = [];
  for (const s of chain)
    for (const c of s.copies) {
      if (!c.from) continue;
      const named = d.stages.find((x) => x.name !== undefined && x.name.toLowerCase() === c.from!.toLowerCase());
      if (named && !chain.includes(named)) fromStages.push({ stage: named, sources: c.sources });
    }
  // that developers' checkouts hold it is shown, not presumed from a .gitignore line a template
  // wrote: the checkout has it, a committed template of it sits beside it, the settings load an env
  // file, or a compose file's env_file names it
  let loadsMemo: boolean | undefined;
  const loads = (): boolean => (loadsMemo ??= settingsLoadEnvFile(ws, project) !== undefined);
  const named = new Set<string>();
  for (const c of processes.compose)
    for (const s of c.services) for (const e of s.envFiles) named.add(path.resolve(path.dirname(c.file), e.path));
  const shown = (f: string): boolean =>
    named.has(f) ||
    ws.fs.exists(f) ||
    loads() ||
    envTemplateNames(path.basename(f)).some((t) => ws.fs.exists(path.join(path.dirname(f), t)));
  for (const context of contextsOf(processes, d)) {
    const envFiles = ignoredEnvFiles(ws, context).filter(shown);
    if (envFiles.length === 0) continue;
    const ignore = dockerignoreOf(ws, d, context);
    const rules = ignore ? parseDockerIgnore(ignore.text) : undefined;
    const sent = envFiles.filter((f) => {
      const rel = path.relative(context, f).split(path.sep).join('/');
      return !(rules && dockerIgnoreDecision(rules, rel)?.excluded);
    });
    if (sent.length === 0) continue;
    const visit = (stages: readonly DockerStage[], via?: { name: string; sources: string[] }): void => {
      for (const s of stages)
        for (const c of s.copies) {
          if (c.from) continue;
          c.sources.forEach((src, i) => {
            const loc = c.sourceLocs?.[i];
            if (!loc || /[*?[]/.test(src) || /^[a-z]+:\/\//i.test(src) || src.includes('$')) return;
            if (via && !via.sources.some((from) => holds(from, c.dest))) return;
            const host = contextSource(context, src);
            const files = sent.filter((f) => f === host || f.startsWith(host + path.sep));
            const key = `${loc.file}:${loc.start}`;
            if (files.length === 0 || seen.has(key)) return;
            seen.add(key);
            out.push({
              keyword: c.keyword ?? 'COPY',
              source: src,
              sourceLoc: loc,
              files: files.map((f) => shownPath(project, f)),
              entries: files.map((f) => path.relative(context, f).split(path.sep).join('/')),
              dockerignore: ignore ? shownPath(project, ignore.file) : undefined,
              dockerignoreToEdit: shownPath(project, ignore?.file ?? path.join(context, DOCKERIGNORE_FILES.value.context)),
              viaStage: via?.name,
            });
          });
        }
    };
    visit(chain);
    for (const f of fromStages) visit(stageChain(d, f.stage), { name: f.stage.name!, sources: f.sources });
  }
  return out;
}

/** A call of a function that reads an env file into os.environ: `load_dotenv(`, `environ.Env.read_env(`. */
const ENV_FILE_LOAD_CALL = /\b([A-Za-z_][A-Za-z0-9_]{0,40})\(/g;

/**
 * Where the project's settings modules read an env file into os.environ when they run (`load_dotenv()`,
 * `environ.Env.read_env()`: catalogue ENV_FILE_LOADERS), as "mysite/settings.py:5"; undefined when none does.
 */
export function settingsLoadEnvFile(ws: ProjectFileView, project: DjangoProject): string | undefined {
  const loaders = ENV_FILE_LOADERS.functions.value as readonly string[];
  const files = project.files.filter((f) => f.kind === 'settings').map((f) => f.path);
  const production = project.production?.module.file;
  if (production) files.sort((a, b) => Number(b === production) - Number(a === production));
  for (const file of files) {
    // (the parsed document the evaluation read: the file is not read again, and an open buffer wins)
    const text = ws.document(file)?.text;
    if (text === undefined || !loaders.some((l) => text.includes(l))) continue;
    for (const m of text.matchAll(ENV_FILE_LOAD_CALL)) {
      if (!loaders.includes(m[1]!)) continue;
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      if (text.slice(lineStart, m.index).trimStart().startsWith('#')) continue;
      return `${shownPath(project, file)}:${lineIndexAt(text, m.index) + 1}`;
    }
  }
  return undefined;
}
