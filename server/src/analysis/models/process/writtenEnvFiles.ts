// The environment files the repository's own scripts write (generate-env.sh writing the `.env` a
// production compose file reads, readers/process/envFileWrites.ts): a compose service whose
// `env_file:` or interpolation `.env` is not committed gets, from the script that writes it, what
// production's deployment has there — a value the script generates is set (not known, never
// committed), a literal it writes is that value, `${NAME:-default}` is the default unless NAME is
// set where the script runs. A script of a development or CI folder writes no production file.
import * as path from 'node:path';
import { lineIndexAt } from '../../base/lines';
import { ciFolderReason, devReasonOfPath } from '../../readers/devPaths';
import { envFilesWritten, type WrittenVariable } from '../../readers/process/envFileWrites';
import type { Collected } from './collect';
import type { EnvValue } from './model';

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
    if (text === undefined || !text.includes('>')) continue;
    const label = rel.split(path.sep).join('/') || path.basename(f.path);
    for (const [target, vars] of envFilesWritten(f.path, text)) {
      if (vars.size === 0 || target.includes('$')) continue;
      const abs = path.resolve(path.dirname(f.path), target);
      let env = out.get(abs);
      if (!env) {
        env = new Map();
        out.set(abs, env);
      }
      for (const v of vars.values()) {
        const value = envValueOf(v, label, lineIndexAt(text, v.nameLoc.start) + 1);
        const prev = env.get(v.name);
        env.set(
          v.name,
          prev && prev.writtenBy !== value.writtenBy
            ? { ...value, value: '', from: `the value ${prev.writtenBy} and ${value.writtenBy} write, each its own` }
            : value,
        );
      }
    }
  }
  return out;
}

/** What a written variable gives the process that loads the file. */
function envValueOf(v: WrittenVariable, label: string, line: number): EnvValue {
  const where = `${label}:${line}`;
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
      return { ...base, value: '', from: `$${v.variable} of the shell ${label} runs in` };
  }
}
