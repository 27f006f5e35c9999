// An app server's configuration that nothing of the repository runs, beside a production process
// known to serve the app with another server: a uWSGI ini or YAML file no uWSGI command line loads,
// while production's web process runs gunicorn (a Dockerfile's start script, a Procfile, a unit),
// and no other file of the repository so much as names uWSGI — no `uwsgi` command in a script, unit,
// Dockerfile, Procfile, CI job or Ansible task, no emperor, no `uwsgi_pass` in a proxy
// configuration, uWSGI in no dependency file or image. Such a file is a leftover of how production
// ran before (`serverconfig/app_uwsgi.ini` beside a gunicorn image): its process is not
// production's. A configuration that is the only description of production (nothing else serves
// the app) stays production's, as does one anything else names: what runs it may be outside what
// the analysis follows (an emperor installed by a provisioning tool, a path given in a variable).
import * as path from 'node:path';
import { shownPath } from '../../../base/relPath';
import type { FileKind } from '../../../files/scan';
import type { Collected } from '../collect';

/** The files that may run, install or front uWSGI: scripts, units, images, CI, YAML (Ansible), proxies, dependency files. */
const MENTIONING_KINDS = new Set<FileKind>([
  'procfile',
  'dockerfile',
  'compose',
  'systemd',
  'dotenv',
  'shell',
  'requirements',
  'pyproject',
  'pipfile',
  'setupcfg',
  'setuppy',
  'lockfile',
  'ci',
  'rollback',
  'config',
  'manifest',
  'appconfig',
  'proxy',
]);
/** A deployment script in Python (Fabric, Invoke): it may start uWSGI on the host. */
const DEPLOY_SCRIPT = /^(fabfile|tasks|deploy)\.py$/i;
/** Bounds of the texts read (reached: every configuration is taken as run). */
const MAX_FILES = 400;
const MAX_CHARS = 4_000_000;

export function demoteUnrunUwsgiConfigs(r: Collected): void {
  const candidates = r.workloads.filter(
    (w) =>
      w.source.kind === 'appconfig' &&
      w.process.uwsgi !== undefined &&
      w.source.production &&
      // (an Ansible role's template: the role installs and runs it)
      !/\.(j2|jinja2?)$/i.test(w.source.file),
  );
  if (candidates.length === 0) return;
  // any uWSGI command line, production's or not, may load a configuration (an emperor, a path the
  // analysis could not follow): only a repository that starts uWSGI nowhere has configurations nothing runs
  if (r.out.invocations.some((i) => i.server === 'uwsgi' || i.uwsgiConfig !== undefined)) return;
  const other = r.out.invocations.find((i) => i.source.production && i.server !== 'uwsgi' && i.server !== 'runserver');
  if (!other) return;
  const configs = new Set(candidates.map((w) => w.source.file));
  if (namesUwsgi(r, new Set(r.workloads.filter((w) => w.process.uwsgi !== undefined).map((w) => w.source.file)))) return;
  const rel = (p: string): string => shownPath(r.project, p);
  const devReason = `nothing in the repository runs it (no uWSGI command line loads it, no other file names uWSGI), while production serves the app with ${other.server} (${other.source.label})`;
  for (let k = 0; k < r.workloads.length; k++) {
    const w = r.workloads[k]!;
    if (!configs.has(w.source.file) || !w.source.production) continue;
    r.workloads[k] = { source: { ...w.source, production: false, devReason: `${rel(w.source.file)}: ${devReason}` }, process: w.process };
  }
}

/** Whether a file of the repository other than its uWSGI configurations names uWSGI (bounded: a bound reached says yes). */
function namesUwsgi(r: Collected, configs: ReadonlySet<string>): boolean {
  let files = 0;
  let chars = 0;
  for (const f of r.project.files) {
    if (configs.has(f.path)) continue;
    if (!MENTIONING_KINDS.has(f.kind) && !(f.kind === 'python' && DEPLOY_SCRIPT.test(path.basename(f.path)))) continue;
    if (++files > MAX_FILES) return true;
    const text = r.ws.fs.readText(f.path);
    if (text === undefined) continue;
    chars += text.length;
    if (chars > MAX_CHARS) return true;
    if (/uwsgi/i.test(text)) return true;
  }
  return false;
}
