// The apps runs and command lines serve: where the app module is (under the run's --chdir and
// --pythonpath, uWSGI's own names for them, uvicorn's --app-dir, the folders the process runs in,
// the project's import roots), whether it has the attribute served, and whether the app is an ASGI
// or a WSGI application.
import * as path from 'node:path';
import type { ModuleResult } from '../../eval/scope';
import type { Value } from '../../eval/values';
import type { AppRef } from '../../readers/process/commands';
import { resolveModuleFile } from '../project/model';
import { renderedAppTemplates } from '../project/settingsModules';
import type { ProcessSource, ServerInvocation } from '../process/index';
import { appKindOfValue } from './appKinds';
import { bySuffix, runDirs, type AppServerBuild } from './build';
import { evaluateApp } from './keptApps';
import type { AppKind, AppResolution, GunicornRun } from './types';

/** Libraries whose modules are legitimately named as apps (`django.core.wsgi:get_wsgi_application()`). */
const EXTERNAL_PACKAGES = new Set([
  'django',
  'channels',
  'starlette',
  'fastapi',
  'flask',
  'whitenoise',
  'asgiref',
  'a2wsgi',
  'uvicorn',
  'gunicorn',
  'newrelic',
  'sentry_sdk',
  'opentelemetry',
  'ddtrace',
  'werkzeug',
  'wagtail',
  'mezzanine',
  'django_tenants',
  'configurations',
  'cbs',
]);

/** Where the app module of a run or a command line is (resolved once per build for the same roots, app and server). */
export function resolveApp(b: AppServerBuild, app: AppRef, inv?: ServerInvocation, run?: GunicornRun): AppResolution {
  const roots = [...new Set(appRoots(b, inv, run))];
  const key = `${roots.join('|')}\0${app.module}\0${app.attr ?? ''}\0${inv?.server ?? 'gunicorn'}`;
  const cached = b.appCache.get(key);
  if (cached) return cached;
  const result = locateApp(b, app, inv, roots);
  b.appCache.set(key, result);
  return result;
}

/** The folders the app module is looked for in, first the ones the run or the command line names. */
function appRoots(b: AppServerBuild, inv: ServerInvocation | undefined, run: GunicornRun | undefined): string[] {
  const src = inv?.source ?? run?.invocation?.source;
  const roots: string[] = [];
  const chdir = run?.settings.get('chdir')?.value;
  if (chdir?.kind === 'str') {
    const d = mapDir(b, src, chdir.v);
    if (d) roots.push(d);
  }
  const pp = run?.settings.get('pythonpath')?.value;
  if (pp?.kind === 'str')
    for (const p of pp.v.split(',')) {
      const d = mapDir(b, src, p.trim());
      if (d) roots.push(d);
    }
  // uWSGI's --chdir and --pythonpath (its own names for the same), from the command line or the file it loads
  for (const o of inv?.uwsgiConfig?.options ?? []) {
    if (o.when || o.value.dynamic || !['chdir', 'pythonpath', 'python-path', 'pp'].includes(o.key)) continue;
    const d = mapDir(b, src, o.value.text);
    if (d) roots.push(d);
  }
  const appDir = inv?.server === 'uvicorn' ? inv.options.find((o) => o.key === '--app-dir')?.value : undefined;
  if (appDir && !appDir.dynamic) {
    const d = mapDir(b, src, appDir.text);
    if (d) roots.push(d);
  }
  roots.push(...runDirs(b, src), ...b.project.importRoots);
  return roots;
}

/** A folder the run names, where the process sees it: a container path mapped, else relative to where it runs. */
function mapDir(b: AppServerBuild, src: ProcessSource | undefined, d: string): string | undefined {
  return path.isAbsolute(d)
    ? src?.mapPath?.(d)
    : src?.workingDir
      ? path.resolve(src.workingDir, d)
      : path.resolve(src ? path.dirname(src.file) : b.project.root, d);
}

/** The app module under `roots` (else the one workspace file whose path ends with its name), evaluated for its attribute. */
function locateApp(b: AppServerBuild, app: AppRef, inv: ServerInvocation | undefined, roots: readonly string[]): AppResolution {
  const top = app.module.split('.')[0]!;
  const r = resolveModuleFile(b.ws.fs, roots, app.module);
  let file = r?.file;
  let isPackage = r?.isPackage ?? false;
  if (!file) {
    const rel = app.module.split('.').join('/');
    const hits = [...bySuffix(b, rel + '.py'), ...bySuffix(b, rel + '/__init__.py')];
    if (hits.length === 0) {
      // (an app module the image build renders from its committed template, wsgi.py.template beside
      // the render script a Dockerfile RUN runs: there once the image is built)
      const rendered = !app.module.includes('.') && b.scan ? renderedAppTemplate(b, app.module) : undefined;
      if (rendered) return { status: 'found', file: rendered, module: app.module, isPackage: false };
      return EXTERNAL_PACKAGES.has(top) ? { status: 'external', module: app.module } : { status: 'missing', module: app.module };
    }
    if (hits.length > 1) return { status: 'unknown', module: app.module };
    file = hits[0]!;
    isPackage = file.endsWith('__init__.py');
  }
  const attr = app.attr ?? (inv?.server === 'gunicorn' || inv?.server === 'uwsgi' || !inv ? 'application' : undefined);
  if (!attr) return { status: 'found', file, module: app.module, isPackage };
  let mod: ModuleResult;
  try {
    mod = evaluateApp(b, { name: app.module, file, isPackage });
  } catch {
    return { status: 'found', file, module: app.module, isPackage, attr };
  }
  const first = attr.split('.')[0]!;
  const missing = mod.status === 'done' && !mod.scope.vars.has(first) && !mod.scope.mayHave(first);
  return { status: 'found', file, module: app.module, isPackage, attr, attrMissing: missing };
}

/** The committed template of the top-level app module `name` (wsgi) the image build renders, if any (settingsModules.ts renderedAppTemplates). */
function renderedAppTemplate(b: AppServerBuild, name: string): string | undefined {
  return renderedAppTemplates(b.ws.fs, b.scan!.files, b.project.root).find((t) => path.basename(t.file).startsWith(`${name}.py.`))?.file;
}

/** The value an app's module binds to the app's name (`application = Cling(get_wsgi_application())`), when evaluated. */
export function appValue(b: AppServerBuild, app: AppRef, inv?: ServerInvocation, run?: GunicornRun): Value | undefined {
  const r = resolveApp(b, app, inv, run);
  if (r.status !== 'found' || !r.attr || app.call) return undefined;
  return b.appModules.get(r.file)?.scope.vars.get(r.attr.split('.')[0]!)?.value;
}

/** Whether an app is an ASGI or a WSGI application: from the value its module binds, else by its name. */
export function appKind(b: AppServerBuild, app: AppRef, inv?: ServerInvocation, run?: GunicornRun): AppKind | undefined {
  const r = resolveApp(b, app, inv, run);
  if (r.status === 'found' && r.attr && !app.call) {
    const mod = b.appModules.get(r.file);
    const v = mod?.scope.vars.get(r.attr.split('.')[0]!)?.value;
    const k = appKindOfValue(v);
    if (k) return k;
  }
  if (r.status === 'external')
    return /asgi/i.test(app.module) || /asgi/i.test(app.attr ?? '')
      ? 'asgi'
      : /wsgi/i.test(app.module) || /wsgi/i.test(app.attr ?? '')
        ? 'wsgi'
        : undefined;
  const last = app.module.split('.').pop()!.toLowerCase();
  if (last === 'asgi' || last.endsWith('_asgi')) return 'asgi';
  if (last === 'wsgi' || last.endsWith('_wsgi')) return 'wsgi';
  return undefined;
}
