// A start script nothing runs, beside a production process that serves the app: a `start.sh` (or
// `run.sh`, `entrypoint.sh`, `bin/start`) that starts an app server, while a platform's start command,
// a Procfile, an image's CMD or a unit starts the app itself (`startCommand: gunicorn …` in render.yaml).
// No command line of the repository runs the script (no Dockerfile CMD/ENTRYPOINT/RUN, Procfile,
// platform command, compose `command:`/`entrypoint:`, unit or program, no other script, make target
// or npm script that is run), and no file names it: no deployment file, CI job, Makefile, script,
// Ansible task or deploy script, no README or document (the way a script is deployed by hand is
// written there: `ssh … ./start.sh`). Such a script is not how production runs: its processes are not
// production's (as a uWSGI configuration nothing runs is not, unrunConfigs.ts), and neither is what
// it alone starts (startScripts.ts spreads that). Where nothing else serves the app, the script is
// the only description of production and stays as it was (presumed, engine/basis.ts); so does a
// script filed for production (`compose/production/django/start`, `deploy/start.sh`).
import * as path from 'node:path';
import { shownPath } from '../../../base/relPath';
import type { FileKind } from '../../../files/scan';
import { namedForProduction } from '../../../readers/devPaths';
import type { Collected } from '../collect';
import type { ProcessSource } from '../model';
import { workspaceFileFor } from '../paths';
import { runsOtherSoftware } from '../software';
import type { Demotions } from './demotion';

/** The kinds of files that cannot name a start script for running it (the app's own Python, its dependencies). */
const SILENT_KINDS = new Set<FileKind>(['manage', 'wsgi', 'asgi', 'settings', 'urls', 'requirements', 'lockfile']);
/** A deployment script in Python (Fabric, Invoke): it may run the script on the host. */
const DEPLOY_SCRIPT = /^(fabfile|tasks|deploy|fab)\.py$/i;
/** The documents that may say how the script is run: READMEs, install, deploy and usage notes. */
const DOC_FILE = /\.(md|markdown|rst|txt|adoc)$/i;
/** Folders whose documents are read (beside the READMEs at the project's and repository's top). */
const DOC_DIRS = ['docs', 'doc', 'documentation'];
/** Bounds of the texts read (reached: every script counts as named). */
const MAX_FILES = 400;
const MAX_CHARS = 4_000_000;
const MAX_DOC_ENTRIES = 400;

export function demoteUnrunStartScripts(r: Collected, demoted: Demotions): void {
  const effective = (src: ProcessSource): ProcessSource => demoted.get(src) ?? src;
  // the scripts that start an app server, as production's
  const starting = new Set(
    r.out.invocations.filter((i) => i.source.kind === 'shell' && effective(i.source).production).map((i) => i.source.file),
  );
  if (starting.size === 0) return;
  // the workspace scripts a command line runs, whoever runs it (a development one included)
  const run = new Set<string>();
  for (const s of r.out.scripts) {
    if (s.ref.make || s.ref.npmScript || s.ref.supervisord) continue;
    const file = workspaceFileFor(r, s.ref.script.text, s.source, 'shell');
    if (file && file !== s.source.file) run.add(file);
  }
  // (a script filed for production, `compose/production/django/start`, `deploy/gunicorn_start.sh`,
  // is the deployment's own whatever shows it run: presumed, as before)
  const unrun = [...starting].filter((f) => !run.has(f) && !namedForProduction(path.relative(r.project.root, f)));
  if (unrun.length === 0) return;
  // (a script a file names is run, as far as the analysis can tell: by hand as a README says, by a
  // command the analysis does not follow)
  const named = namedScripts(r, unrun);
  for (const f of named) run.add(f);
  const candidates = new Set(unrun.filter((f) => !named.has(f)));
  if (candidates.size === 0) return;
  const other = servedElsewhere(r, candidates, run, effective);
  if (!other) return;
  const rel = (p: string): string => shownPath(r.project, p);
  for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others]) {
    const src = x.source;
    if (src.kind !== 'shell' || !candidates.has(src.file) || !src.production || demoted.has(src)) continue;
    demoted.set(src, {
      ...src,
      production: false,
      devReason: `${rel(src.file)}: nothing in the repository runs it (no image, compose file, Procfile, platform file, unit or script runs it, no file or README names it), while production serves the app with ${other}`,
    });
  }
}

/**
 * A production process that serves the app and is not one of the scripts nothing runs: an app
 * server's command line (runserver too) of an image, Procfile, platform file, compose service or
 * unit, or of a script one of them runs; a platform or Kubernetes workload. Said as "gunicorn (render.yaml (service
 * shop))"; undefined when none.
 */
function servedElsewhere(
  r: Collected,
  unrun: ReadonlySet<string>,
  run: ReadonlySet<string>,
  effective: (src: ProcessSource) => ProcessSource,
): string | undefined {
  for (const i of r.out.invocations) {
    // (whatever server it is: runserver too is production's command, reported where it is)
    if (!effective(i.source).production) continue;
    if (i.source.kind === 'shell' && (unrun.has(i.source.file) || !run.has(i.source.file))) continue;
    return `${i.server} (${i.source.label})`;
  }
  const w = r.workloads.find(
    (x) =>
      x.source.production &&
      (x.source.kind === 'kubernetes' || x.source.kind === 'platform') &&
      !x.process.once &&
      !x.process.scheduled &&
      !runsOtherSoftware(x),
  );
  return w ? `${w.source.label} (${shownPath(r.project, w.source.file)})` : undefined;
}

/** How a text names a script: its file name when it has an extension (`start.sh`), else its folder and name (`bin/start`). */
function nameOf(file: string): string {
  const base = path.basename(file);
  return base.includes('.') ? base : `${path.basename(path.dirname(file))}/${base}`;
}

/** Whether `text` names `name` as a word of a path or command (`./start.sh`, `bash start.sh`, `"scripts/start.sh"`), not inside another name (`prestart.sh`). */
function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at === 0 ? '' : text[at - 1]!;
    const after = text[at + name.length] ?? '';
    if (!/[\w-]/.test(before) && !/[\w-]/.test(after)) return true;
  }
  return false;
}

/**
 * The scripts among `files` that another file of the repository names: a file of the project (not
 * the app's own Python or its dependency lists), a deployment script in Python, a README or document
 * at the project's or repository's top or in its docs folder. Bounded: a bound reached names them all.
 */
function namedScripts(r: Collected, files: readonly string[]): Set<string> {
  const all = new Set(files);
  const out = new Set<string>();
  const names = files.map((f) => ({ file: f, name: nameOf(f) }));
  const texts: string[] = [];
  for (const f of r.project.files) {
    if (SILENT_KINDS.has(f.kind)) continue;
    if (f.kind === 'python' && !DEPLOY_SCRIPT.test(path.basename(f.path))) continue;
    texts.push(f.path);
  }
  const fs = r.ws.fs;
  let entries = 0;
  const docs = (dir: string, depth: number): void => {
    let list: ReturnType<typeof fs.readDir>;
    try {
      if (!fs.isDirectory(dir)) return;
      list = fs.readDir(dir);
    } catch {
      return;
    }
    for (const e of list) {
      if (++entries > MAX_DOC_ENTRIES) return;
      const p = path.join(dir, e.name);
      if (e.isFile && (DOC_FILE.test(e.name) || /^readme$/i.test(e.name) || e.name === 'package.json')) texts.push(p);
      else if (e.isDirectory && !e.isSymbolicLink && depth > 0 && !e.name.startsWith('.')) docs(p, depth - 1);
    }
  };
  for (const root of new Set([r.project.root, r.project.repositoryRoot].filter((x): x is string => x !== undefined))) {
    docs(root, 0);
    for (const d of DOC_DIRS) docs(path.join(root, d), 2);
  }
  let n = 0;
  let chars = 0;
  for (const p of new Set(texts)) {
    if (++n > MAX_FILES) return all;
    const text = fs.readText(p);
    if (text === undefined) continue;
    chars += text.length;
    if (chars > MAX_CHARS) return all;
    for (const { file, name } of names) if (file !== p && !out.has(file) && mentions(text, name)) out.add(file);
    if (out.size === all.size) break;
  }
  return out;
}
