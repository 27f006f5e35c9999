// The environment files the repository's own scripts write (generate-env.sh writing the `.env` a
// production compose file reads, readers/process/envFileWrites.ts): a compose service whose
// `env_file:` or interpolation `.env` is not committed gets, from the script that writes it, what
// production's deployment has there — a value the script generates is set (not known, never
// committed), a literal it writes is that value, `${NAME:-default}` is the default unless NAME is
// set where the script runs. A script of a development or CI folder writes no production file.
import * as path from 'node:path';
import { lineIndexAt } from '../../base/lines';
import { ciFolderReason, devReasonOfPath } from '../../readers/devPaths';
import { ciDeployRuns } from '../../readers/process/ciDeployRuns';
import { recognise } from '../../readers/process/commands';
import { tokenize, type SimpleCommand } from '../../readers/shell';
import type { MappedText } from '../../readers/text';
import { envFilesWritten, scriptCopies, type WrittenEnvFiles, type WrittenVariable } from '../../readers/process/envFileWrites';
import { readDotenv } from '../../readers/container/dotenv';
import { shownPath } from '../../base/relPath';
import type { Collected } from './collect';
import type { FileView } from '../../files/view';
import type { DjangoProject } from '../project/model';
import type { EnvValue } from './model';
import { credentialIn, isPlaceholderUrl, isSecretName } from '../../secrets/index';
import { ENV_FILE_LOADERS } from '../../catalogue/libraries/environmentReaders';

/** Each written file (absolute path) with its variables, per collection. */
const memo = new WeakMap<Collected, Map<string, Map<string, EnvValue>>>();

/**
 * The variables the scripts of the project write into the environment file `file` (an absolute
 * path; a script's relative path is read from the script's folder, where it is run from), or
 * undefined when no script writes it.
 */
export function scriptWrittenEnv(r: Collected, file: string): Map<string, EnvValue> | undefined {
  let all = memo.get(r);
  if (!all) {
    all = collect(r);
    memo.set(r, all);
  }
  return all.get(file);
}

function collect(r: Collected): Map<string, Map<string, EnvValue>> {
  const out = new Map<string, Map<string, EnvValue>>();
  for (const f of r.project.files) {
    if (f.kind !== 'shell') continue;
    const rel = path.relative(r.project.root, f.path);
    if (devReasonOfPath(rel) || ciFolderReason(rel)) continue;
    const text = r.ws.fs.readText(f.path);
    if (text === undefined || (!text.includes('>') && !text.includes('cp'))) continue;
    const label = rel.split(path.sep).join('/') || path.basename(f.path);
    const written = envFilesWritten(f.path, text);
    copiedUnchanged(r, f.path, text, label, written, out);
    addWritten(r, written, path.dirname(f.path), label, undefined, out);
  }
  // the production deploy jobs of CI (`envsubst < deploy/env.tmpl > .env`, then copied to the server)
  for (const f of r.project.files) {
    if (f.kind !== 'ci') continue;
    const text = r.ws.fs.readText(f.path);
    if (text === undefined) continue;
    const inline = (text.includes('>') || /\bcp[ \t]/.test(text)) && /\.env\b/.test(text);
    if (!inline && !/\b(?:sh|bash|source)[ \t]|\.\/|\.sh\b/.test(text)) continue;
    const label = shownPath(r.project, f.path);
    for (const run of ciDeployRuns(f.path, text)) {
      // a committed script the job runs (`bash ./app/setup_env.sh`) writes from where the job runs
      // it, whatever its name says (the deploy job runs it for production)
      for (const s of ranScripts(r, run.script, run.cwd)) addWritten(r, envFilesWritten(s.file, s.text), run.cwd, s.label, run.job, out);
      if (!inline) continue;
      const templates = {
        read: (written: string) => {
          const abs = path.resolve(run.cwd, written);
          const t = r.ws.contains(abs) ? r.ws.fs.readText(abs) : undefined;
          return t === undefined ? undefined : { file: abs, text: t };
        },
      };
      addWritten(r, envFilesWritten(f.path, text, run.script, templates), run.cwd, label, run.job, out);
    }
  }
  return out;
}

/**
 * The committed shell scripts a CI job's script runs (`bash ./app/setup_env.sh`, `./deploy/env.sh`,
 * `source env.sh`; readers/process/commands.ts), each read from the job's folder.
 */
function ranScripts(r: Collected, script: MappedText, cwd: string): { file: string; text: string; label: string }[] {
  let commands: SimpleCommand[];
  try {
    commands = tokenize(script);
  } catch {
    return [];
  }
  const out: { file: string; text: string; label: string }[] = [];
  for (const c of commands) {
    for (const s of recognise(c).scripts) {
      if (s.make || s.npmScript || s.supervisord || s.script.dynamic) continue;
      const file = path.resolve(cwd, s.script.text);
      if (!r.ws.contains(file) || out.some((x) => x.file === file)) continue;
      const text = r.ws.fs.readText(file);
      if (text !== undefined && text.includes('>')) out.push({ file, text, label: shownPath(r.project, file) });
    }
  }
  return out;
}

/** Adds what one script (or one CI job's script, `job`) writes to `out`, each file resolved from `cwd`. */
function addWritten(
  r: Collected,
  written: WrittenEnvFiles,
  cwd: string,
  label: string,
  job: string | undefined,
  out: Map<string, Map<string, EnvValue>>,
): void {
  for (const [target, vars] of written) {
    if (vars.size === 0 || target.includes('$')) continue;
    const abs = path.resolve(cwd, target);
    let env = out.get(abs);
    if (!env) {
      env = new Map();
      out.set(abs, env);
    }
    for (const v of vars.values()) {
      const where = r.ws.fs.readText(v.nameLoc.file) ?? '';
      const line = lineIndexAt(where, v.nameLoc.start) + 1;
      const value = envValueOf(v, label, line, job, v.nameLoc.file);
      const prev = env.get(v.name);
      // two writers giving the same literal (each copies the same template) agree: it stays known
      const agree =
        prev !== undefined &&
        prev.from === undefined &&
        value.from === undefined &&
        prev.value === value.value &&
        prev.defaultOf === value.defaultOf &&
        !prev.maybe &&
        !value.maybe;
      env.set(
        v.name,
        prev && prev.writtenBy !== value.writtenBy && !agree
          ? { ...value, value: '', from: `the value ${prev.writtenBy} and ${value.writtenBy} write, each its own` }
          : agree
            ? prev
            : value,
      );
    }
  }
}

/** What a written variable gives the process that loads the file. */
export function envValueOf(v: WrittenVariable, label: string, line: number, job?: string, file?: string): EnvValue {
  const where = job === undefined ? `${label}:${line}` : `${path.basename(file ?? label)}:${line} (written by the job ${job} of ${label})`;
  const base = {
    name: v.name,
    token: v.token,
    nameLoc: v.nameLoc,
    writtenBy: label,
    ...(v.conditional ? { maybe: `${where} writes it only when a condition holds` } : {}),
  };
  switch (v.kind) {
    case 'literal':
      return { ...base, value: v.value };
    case 'default':
      return { ...base, value: v.value, defaultOf: v.variable! };
    case 'generated':
      return { ...base, value: '', from: `the value ${where} generates at random when it runs` };
    case 'computed':
      return { ...base, value: '', from: `the value ${where} computes when it runs` };
    case 'environment':
      return {
        ...base,
        value: '',
        from:
          job === undefined
            ? `$${v.variable} of the shell ${label} runs in`
            : `${v.variable} of the CI job ${job} (${label}), from its secrets or variables: set where it deploys`,
      };
  }
}

/**
 * The environment files a script copies from a committed file and leaves as they are (`cp
 * env/.env.prod.example env/.env.prod`, nothing after it in the script naming the copy): the copy
 * holds the template's values as written, each known (its place the template's line, said to be
 * the copy `setup.sh:4` makes), but for one it leaves empty, which the deployer must fill in there. A copy the script edits after (`sed -i`, `echo … >>`, an editor), or
 * writes itself, is left to what the deployer does with it (models/process/envTemplates.ts).
 */
function copiedUnchanged(
  r: Collected,
  script: string,
  text: string,
  label: string,
  written: WrittenEnvFiles,
  out: Map<string, Map<string, EnvValue>>,
): void {
  const dir = path.dirname(script);
  for (const c of scriptCopies(script, text)) {
    if (c.editedAfter || written.has(c.dest)) continue;
    const dest = path.resolve(dir, c.dest);
    const src = path.resolve(dir, c.src);
    if (src === dest || !r.ws.contains(src)) continue;
    const srcText = r.ws.fs.readText(src);
    if (srcText === undefined) continue;
    const copiedBy = `${label}:${lineIndexAt(text, c.at) + 1} copies unchanged from ${shownPath(r.project, src)}`;
    const env = new Map<string, EnvValue>();
    for (const [k, v] of readDotenv(src, srcText)) {
      const base = { name: k, token: v.token, nameLoc: v.nameLoc, writtenBy: label, copiedBy };
      // a value the template leaves empty: the settings need a real one, which the deployer then writes in the copy;
      // so with a credential's placeholder (`your-secret-key-here`, `changeme`: catalogue/placeholderValues.ts),
      // which says to fill it in: never production's value
      const blank = v.value.trim() === '' || v.token.dynamic;
      // (under a credential's name, or a URL: a word such as "default" is a value of many other settings)
      const placeholder = !blank && (isPlaceholderUrl(v.value) || credentialIn(v.value, isSecretName(k), k)?.placeholder === true);
      env.set(
        k,
        blank || placeholder
          ? {
              ...base,
              value: '',
              from: `the ${path.basename(dest)} ${copiedBy}, where it is ${blank ? 'left empty' : 'a placeholder'}: filled in where it is deployed`,
            }
          : { ...base, value: v.value },
      );
    }
    // two scripts copying different files there: neither is known to be production's
    const prev = out.get(dest);
    if (prev) {
      for (const [k, v] of prev)
        if (v.copiedBy !== copiedBy)
          prev.set(k, { ...v, value: '', from: `the value ${v.copiedBy ?? v.writtenBy} and ${copiedBy} give, each its own` });
      continue;
    }
    out.set(dest, env);
  }
}

/**
 * How a committed file is copied unchanged by a script of the project (`cp env/.env.prod.example
 * env/.env.prod` with nothing after it touching the copy): "setup.sh:4 copies it unchanged to
 * env/.env.prod", or undefined. What the copy holds is then this file as written (engine/basis.ts:
 * a template so copied is not only presumed to be what runs).
 */
export function copiedUnchangedBy(ws: FileView, project: DjangoProject, file: string): string | undefined {
  for (const f of project.files) {
    if (f.kind !== 'shell') continue;
    const rel = path.relative(project.root, f.path);
    if (devReasonOfPath(rel) || ciFolderReason(rel)) continue;
    const text = ws.fs.readText(f.path);
    if (text === undefined || !text.includes('cp')) continue;
    const dir = path.dirname(f.path);
    for (const c of scriptCopies(f.path, text)) {
      if (c.editedAfter || path.resolve(dir, c.src) !== file) continue;
      const label = rel.split(path.sep).join('/') || path.basename(f.path);
      return `${label}:${lineIndexAt(text, c.at) + 1} copies it unchanged to ${shownPath(project, path.resolve(dir, c.dest))}`;
    }
  }
  return undefined;
}

/** A call of a name and a literal first argument (a path): `load_dotenv("/srv/config/.env")`, `env.read_env(env_file="…")`. */
const LOADED_ENV_FILE =
  /\b([A-Za-z_][A-Za-z0-9_]{0,40})\([ \t\r\n]{0,20}(?:(?:dotenv_path|env_file)[ \t]{0,5}=[ \t]{0,5})?["']([^"'\r\n]{1,500})["']/g;
const loadedMemo = new WeakMap<Collected, Map<string, string>>();

/**
 * The env files the project's settings modules read into os.environ by a path written as a literal
 * (`load_dotenv("/srv/config/.env")`, `env.read_env("/srv/config/.env")`: catalogue
 * ENV_FILE_LOADERS), each with where ("mysite/settings.py:8"). A path as written: an absolute one
 * is the same file wherever the settings run.
 */
export function settingsLoadedEnvFiles(r: Collected): Map<string, string> {
  let out = loadedMemo.get(r);
  if (out) return out;
  out = new Map();
  loadedMemo.set(r, out);
  for (const f of r.project.files) {
    if (f.kind !== 'settings') continue;
    const text = r.ws.fs.readText(f.path);
    if (text === undefined || (!text.includes('load_dotenv') && !text.includes('read_env'))) continue;
    for (const m of text.matchAll(LOADED_ENV_FILE)) {
      if (!(ENV_FILE_LOADERS.functions.value as readonly string[]).includes(m[1]!)) continue;
      const written = m[2]!;
      if (!out.has(written)) out.set(written, `${shownPath(r.project, f.path)}:${lineIndexAt(text, m.index) + 1}`);
    }
  }
  return out;
}
