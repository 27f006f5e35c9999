// Shell scripts (entrypoint.sh, start.sh, bin/web): the commands a script runs, each with the
// variables the script has set and exported before it (`export GUNICORN_CMD_ARGS=…`).
import * as path from 'node:path';
import type { ScannedFile } from '../../../files/scan';
import { devReasonOfPath } from '../../../readers/devPaths';
import { recognise } from '../../../readers/process/commands';
import { setVariables, tokenize, type BranchTest, type SimpleCommand } from '../../../readers/shell';
import { MappedText } from '../../../readers/text';
import type { Collected } from '../collect';
import { addRecognised } from '../commandRecords';
import { shellChildren } from '../shellChildren';
import type { EnvValue, ProcessSource } from '../model';
import { envFilesWritten } from '../../../readers/process/envFileWrites';
import { envValueOf, settingsLoadedEnvFiles } from '../writtenEnvFiles';
import { lineIndexAt } from '../../../base/lines';

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
  for (const c of commands) {
    // what the script has written by now into an env file the settings load (`echo "KEY=$k" > /srv/config/.env`)
    while (fileWrites.length > 0 && c.words.length > 0 && fileWrites[0]!.at < c.words[0]!.loc.start) set(c, fileWrites.shift()!.value);
    if (c.words.length === 0) {
      for (const a of c.assignments) set(c, { name: a.name, value: a.value.text, token: a.value, nameLoc: a.token.loc });
      continue;
    }
    const vars = setVariables(c);
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
