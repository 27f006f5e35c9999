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
  for (const c of commands) {
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
