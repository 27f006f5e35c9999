// Shell scripts (entrypoint.sh, start.sh, bin/web): the commands a script runs, each with the
// variables the script has set and exported before it (`export GUNICORN_CMD_ARGS=…`).
import * as path from 'node:path';
import type { ScannedFile } from '../../../files/scan';
import { devReasonOfPath } from '../../../readers/devPaths';
import { recognise } from '../../../readers/process/commands';
import { setVariables, tokenize, type BranchTest, type SetVariable, type SimpleCommand } from '../../../readers/shell';
import { MappedText } from '../../../readers/text';
import type { Collected } from '../collect';
import { addRecognised } from '../commandRecords';
import { shellChildren } from '../shellChildren';
import type { EnvValue, ProcessSource } from '../model';
import { envFilesWritten } from '../../../readers/process/envFileWrites';
import { envValueOf, settingsLoadedEnvFiles } from '../writtenEnvFiles';
import { lineIndexAt } from '../../../base/lines';
import { readDotenv } from '../../../readers/container/dotenv';
import { GENERATOR } from '../../../readers/process/envFileWrites';
import { shownPath } from '../../../base/relPath';
import { envTemplateFile } from '../envTemplates';

export function readShellSource(r: Collected, f: ScannedFile, rel: string): void {
  const text = r.ws.fs.readText(f.path);
  if (text === undefined) return;
  // (labels and reasons name the file by its path: several Dockerfiles or Procfiles are usual)
  const name = rel.split(path.sep).join('/') || path.basename(f.path);
  const fileDev = devReasonOfPath(rel);
  const env = new Map<string, EnvValue>();
  const source: ProcessSource = {
    kind: 'shell',
    file: f.path,
    label: name,
    production: !fileDev,
    devReason: fileDev ? `${name}: ${fileDev}` : undefined,
    containerized: false,
    env,
  };
  // variables the script sets before starting the server (`export GUNICORN_CMD_ARGS=…`)
  const lookup = (n: string): string | undefined => env.get(n)?.value;
  const commands = tokenize(MappedText.slice(f.path, text), { lookup });
  r.out.shellChildren.push(...shellChildren(commands, source));
  // variables set inside an `if` branch: they hold for the later commands of that branch
  const scoped: { branch: readonly BranchTest[]; value: EnvValue }[] = [];
  const set = (c: SimpleCommand, v: EnvValue): void => {
    if (!c.conditional) env.set(v.name, v);
    else if (c.branch && c.branch.length > 0 && c.branch.every((t) => t.words.length > 0)) scoped.push({ branch: c.branch, value: v });
  };
  const fileWrites = loadedFileWrites(r, f.path, text, name);
  // `set -a`: every variable the script sets from here on is exported (a sourced env file's too)
  let allExport = false;
  for (const c of commands) {
    // what the script has written by now into an env file the settings load (`echo "KEY=$k" > /srv/config/.env`)
    while (fileWrites.length > 0 && c.words.length > 0 && fileWrites[0]!.at < c.words[0]!.loc.start) set(c, fileWrites.shift()!.value);
    if (c.words.length === 0) {
      for (const a of c.assignments) set(c, { name: a.name, value: a.value.text, token: a.value, nameLoc: a.token.loc });
      continue;
    }
    const program = c.words[0]!.text;
    if (program === 'set' && !c.conditional)
      for (const w of c.words.slice(1)) if (/^[-+][a-z]{1,20}$/.test(w.text) && w.text.includes('a')) allExport = w.text.startsWith('-');
    // `. /app/docker/.env`, `source .env` (unconditional, a literal path): the env file's variables, set in the script
    if ((program === '.' || program === 'source') && !c.conditional && c.words.length === 2 && !c.words[1]!.dynamic)
      for (const v of sourcedEnvFile(r, f.path, c.words[1]!.text, name, allExport)) set(c, v);
    const vars = setVariables(c);
    // `if [ -z "$SECRET_KEY" ]; then export SECRET_KEY=$(openssl rand -hex 32); fi` after an env file left it empty: generated when the script runs
    const generated = vars && c.conditional ? generatedWhenEmpty(c, vars, env, name, text) : undefined;
    if (generated) {
      env.set(generated.name, generated);
      continue;
    }
    if (vars) {
      for (const v of vars)
        set(c, {
          name: v.name,
          value: v.value.text,
          token: v.value,
          nameLoc: v.nameLoc,
          ...(v.exported ? { exported: true as const } : {}),
        });
      continue;
    }
    const here = new Map(env);
    for (const x of scoped) if (withinBranch(c.branch, x.branch)) here.set(x.value.name, x.value);
    addRecognised(r, recognise(c, { lookup }), { ...source, env: here });
  }
}

/** A command's branch is inside `outer`: it starts with the same tests, each taken the same way. */
function withinBranch(branch: readonly BranchTest[] | undefined, outer: readonly BranchTest[]): boolean {
  if (!branch || branch.length < outer.length) return false;
  return outer.every((t, k) => {
    const b = branch[k]!;
    return b.when === t.when && b.words.length === t.words.length && b.words.every((w, i) => w.loc.start === t.words[i]!.loc.start);
  });
}

/**
 * The variables a start script writes into an env file the settings read into os.environ by its
 * absolute path (`echo "DJANGO_SECRET_KEY=$skey" > /srv/config/.env` before the server starts, beside
 * `load_dotenv("/srv/config/.env")`): each in the environment the settings see from there on, in
 * the script's order. A relative path is not read: the script's folder and the settings' are not
 * known to be the same where they run.
 */
function loadedFileWrites(r: Collected, file: string, text: string, label: string): { at: number; value: EnvValue }[] {
  if (!text.includes('>')) return [];
  const loaded = settingsLoadedEnvFiles(r);
  if (loaded.size === 0) return [];
  const out: { at: number; value: EnvValue }[] = [];
  for (const [dest, vars] of envFilesWritten(file, text)) {
    const by = loaded.get(dest);
    if (!by || !path.posix.isAbsolute(dest)) continue;
    for (const v of vars.values()) {
      const value = envValueOf(v, label, lineIndexAt(text, v.nameLoc.start) + 1);
      out.push({ at: v.nameLoc.start, value: { ...value, exported: true, writtenBy: `${label} (into ${dest}, which ${by} loads)` } });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The variables of the env file a start script sources (`set -a; . /app/docker/.env; set +a`): its
 * path in the container or from the script's folder, read where the repository has it, else from
 * the committed template it is made from (`.env.default` beside the git-ignored `.env`, catalogue
 * templateNames.ts): each value as written there, the template's as written unless the deployer
 * changes it (EnvValue.template). Exported when `set -a` is on, or the file's line says `export`.
 */
function sourcedEnvFile(r: Collected, script: string, at: string, label: string, allExport: boolean): EnvValue[] {
  const file = sourcedFile(r, script, at);
  if (!file) return [];
  const text = r.ws.fs.readText(file);
  const template = text === undefined ? envTemplateFile(r, file, true) : undefined;
  const read = text !== undefined ? { file, text } : template;
  if (!read) return [];
  const made = template ? `the ${path.basename(file)} made from ${shownPath(r.project, template.file)} (${label} sources it)` : undefined;
  const out: EnvValue[] = [];
  for (const [k, v] of readDotenv(read.file, read.text)) {
    const exported =
      allExport || /^[ \t]*export[ \t]/.test(read.text.slice(read.text.lastIndexOf('\n', v.nameLoc.start) + 1, v.nameLoc.start + 1));
    out.push({
      name: k,
      value: v.value,
      token: v.token,
      nameLoc: v.nameLoc,
      ...(made ? { template: made } : {}),
      ...(exported ? { exported: true as const } : {}),
    });
  }
  return out;
}

/** The workspace file a script's `. PATH` names: a relative path from the script's folder; an absolute one by its longest tail whose folder the project has. */
function sourcedFile(r: Collected, script: string, at: string): string | undefined {
  if (at.includes('$')) return undefined;
  if (!at.startsWith('/')) return path.resolve(path.dirname(script), at);
  const parts = at.split('/').filter((p) => p !== '' && p !== '.');
  for (let k = 0; k < parts.length; k++) {
    const cand = path.join(r.project.root, ...parts.slice(k));
    if (r.ws.fs.isDirectory(path.dirname(cand)) && (k < parts.length - 1 || r.ws.fs.exists(cand))) return cand;
  }
  return undefined;
}

/**
 * A variable a script generates only when it is empty (`if [ -z "$SECRET_KEY" ]; then export
 * SECRET_KEY=$(python3 -c 'import secrets; …'); fi`), where what the script set before leaves it
 * empty (an env file's `SECRET_KEY=`): generated at random when the script runs; where that gives it
 * a value, the value kept (EnvValue.keptBy). Undefined otherwise.
 */
function generatedWhenEmpty(
  c: SimpleCommand,
  vars: readonly SetVariable[],
  env: ReadonlyMap<string, EnvValue>,
  label: string,
  text: string,
): EnvValue | undefined {
  const test = c.branch?.length === 1 ? c.branch[0]! : undefined;
  const w = test?.when ? test.words.map((t) => t.text) : [];
  const tested =
    (w[0] === '[' || w[0] === '[[' || w[0] === 'test') && w[1] === '-z'
      ? /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(w[2] ?? '')?.[1]
      : undefined;
  const v = vars.length === 1 ? vars[0]! : undefined;
  const before = v ? env.get(v.name) : undefined;
  if (!v || tested !== v.name || !before || before.from !== undefined || before.token.dynamic) return undefined;
  const end = text.indexOf('\n', v.value.loc.start);
  if (!GENERATOR.test(text.slice(v.value.loc.start, end < 0 ? text.length : end))) return undefined;
  const line = lineIndexAt(text, c.words[0]!.loc.start) + 1;
  // (a value it finds there it keeps: a template's, as written)
  if (before.value !== '') return { ...before, keptBy: `${label}:${line}, which generates ${v.name} only when it is empty` };
  return {
    name: v.name,
    value: '',
    token: v.value,
    nameLoc: v.nameLoc,
    from: `the value ${label}:${line} generates at random when it runs and finds ${v.name} empty`,
    ...(v.exported ? { exported: true as const } : {}),
  };
}
