// An image of another Python web app than this Django project that nothing of the repository builds
// or runs: a Dash, Flask or FastAPI app kept beside it (an example of an app the Django site hosts).
// Its Dockerfile's app-server command serves a module that, in the Dockerfile's folder, is a file that
// does not use Django; that folder holds nothing of the project (neither manage.py nor the production
// settings module); no compose service or platform builds it, CI does not publish it, and neither CI
// nor a script of the project names its folder (a companion service deployed beside the app is
// production's, whatever it serves). Its processes are set aside, with why.
// Likewise the image of another program altogether kept in a folder of its own (an agent, a Go
// service): a folder that holds its own package manifest (pyproject.toml, go.mod, package.json…)
// naming nothing of Django, with a Dockerfile whose command starts nothing of the app (no app server,
// management command, celery, nor a script of that folder starting one), under the same conditions of
// nothing building, publishing or naming it.
import * as path from 'node:path';
import { shownPath } from '../../../base/relPath';
import { isWithin } from '../../../files/fs';
import { publishedOf, type Collected } from '../collect';
import type { Demotions } from './demotion';

/**
 * The files that make a folder a program of its own: the package or module manifest its build
 * installs from (`pip install .`, `go build`, `npm ci`).
 */
const PROGRAM_MANIFESTS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'go.mod', 'package.json', 'Cargo.toml', 'pom.xml', 'Gemfile'];

/**
 * The manifest of another program in `dir`, when it has one that names nothing of Django (a
 * dependency on Django, django-*, a Django settings module): shown as a path; undefined otherwise.
 */
function otherProgramManifest(r: Collected, dir: string): string | undefined {
  for (const name of PROGRAM_MANIFESTS) {
    const text = r.ws.fs.readText(path.join(dir, name));
    if (text === undefined) continue;
    return /django/i.test(text) ? undefined : shownPath(r.project, path.join(dir, name));
  }
  return undefined;
}

/** The workspace Python files under `dir` that a dotted module names (`app` → …/app.py or …/app/__init__.py), nearest first. */
function moduleFiles(r: Collected, dir: string, module: string): string[] {
  const tail = module.split('.').join('/');
  const files = r.ws.scanFor(r.project.root)?.pythonFiles ?? new Set<string>();
  const out: string[] = [];
  for (const f of files) {
    if (!isWithin(dir, f)) continue;
    const rel = path.relative(dir, f).split(path.sep).join('/');
    if (rel === `${tail}.py` || rel.endsWith(`/${tail}.py`) || rel === `${tail}/__init__.py` || rel.endsWith(`/${tail}/__init__.py`))
      out.push(f);
  }
  return out.sort((a, b) => a.length - b.length);
}

export function demoteOtherAppImages(r: Collected, demoted: Demotions): void {
  const own = [r.project.manage, r.project.production?.module.file].filter((f): f is string => f !== undefined);
  for (const d of r.dockerfiles) {
    const dir = path.dirname(d.file);
    // the folder holds the project (or nothing says where it is): its image may hold the app
    if (own.length === 0 || own.some((f) => isWithin(dir, f)) || r.devImages.has(d.file)) continue;
    // built by a compose service (of any stack) or a platform: a service of the project's own
    if (r.composeBuilds.some((b) => b.dockerfile === d.file)) continue;
    // its folder named by the project's CI, Makefile or scripts (a build, a test job): its tooling's
    const rel = path
      .relative(r.project.repositoryRoot ?? r.project.root, dir)
      .split(path.sep)
      .join('/');
    if (r.project.files.some((f) => (f.kind === 'ci' || f.kind === 'shell') && (r.ws.fs.readText(f.path) ?? '').includes(rel))) continue;
    if (r.workloads.some((w) => w.source.production && w.process.dockerfile?.file === d.file)) continue;
    // an image the repository builds under a name (CI publishes it; a manifest may run it): a
    // companion service deployed beside the app, whose image is production's all the same
    if ([...publishedOf(r).values()].some((p) => p.dockerfile === d.file)) continue;
    const servers = r.out.invocations.filter(
      (i) => i.source.kind === 'dockerfile' && i.source.file === d.file && i.source.production && i.server !== 'runserver',
    );
    if (servers.length === 0) {
      otherProgramImage(r, d.file, demoted);
      continue;
    }
    let served: string | undefined;
    const other = servers.every((i) => {
      if (!i.app || i.app.token.dynamic) return false;
      const files = moduleFiles(r, dir, i.app.module);
      if (files.length === 0) return false;
      // (Django's own WSGI and ASGI entry points name it; another framework's app does not)
      const django = files.some((f) => /django/i.test(r.ws.fs.readText(f) ?? 'django'));
      if (!django) served ??= `${i.app.token.text} (${shownPath(r.project, files[0]!)})`;
      return !django;
    });
    if (!other || !served) continue;
    setAside(r, d.file, `its image serves ${served}, a Python app that does not use Django, not this project`, demoted);
  }
}

/**
 * Sets aside the image of Dockerfile `file` when it is another program's (see the top of the file):
 * its folder holds that program's own manifest, and its command starts nothing of the app, nor does
 * a script of that folder.
 */
function otherProgramImage(r: Collected, file: string, demoted: Demotions): void {
  const dir = path.dirname(file);
  const manifest = otherProgramManifest(r, dir);
  if (!manifest) return;
  // anything of the app the image's command or a script of its folder starts (gunicorn, manage.py, celery)
  if ([...r.out.invocations, ...r.out.tasks, ...r.out.forwards].some((x) => x.source.file === file || isWithin(dir, x.source.file))) return;
  setAside(r, file, `it is the image of another program, ${manifest}'s, whose command starts nothing of this project`, demoted);
}

/** Records the Dockerfile `file` as not this project's production image, and sets its processes aside, with why. */
function setAside(r: Collected, file: string, devReason: string, demoted: Demotions): void {
  r.devImages.set(file, devReason);
  for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others])
    if (x.source.kind === 'dockerfile' && x.source.file === file && x.source.production && !demoted.has(x.source))
      demoted.set(x.source, { ...x.source, production: false, devReason });
}
