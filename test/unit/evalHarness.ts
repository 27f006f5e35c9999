// Shared helpers for the evaluator and project-model tests: build a small project (in memory or a
// fixture folder), evaluate its production settings module as the engine does, and read the
// results back as plain JS values with their provenance (origin, file:line).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { productionEnvironment, productionEnvironmentClosed } from '../../server/src/analysis/engine/deployment';
import { anchorOf } from '../../server/src/analysis/engine/production';
import { Evaluator } from '../../server/src/analysis/eval/evaluator';
import type { EvalNote, ModuleResult } from '../../server/src/analysis/eval/scope';
import type { Loc, Value } from '../../server/src/analysis/eval/values';
import { MemoryFileSystem, NodeFileSystem, type FileSystem } from '../../server/src/analysis/files/fs';
import type { DjangoProject, ProjectOptions } from '../../server/src/analysis/models/project/model';
import { Settings } from '../../server/src/analysis/rules/settings';
import { Workspace } from '../../server/src/analysis/engine/workspace';

export const ROOT = '/p';

/** The skeleton of a one-module project: manage.py, wsgi.py naming mysite.settings. */
export const SKELETON: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/wsgi.py':
    'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_wsgi_application()\n',
};

/** Plain JS view of a value: str → string, numbers, bool, None → null, list/tuple/set → array,
 * dict → object (`$partial` when it may hold unknown keys), Path → "Path:…", env-required →
 * "<env:NAME>", unknown → "<unknown>", objects → "<tag>". */
export function js(v: Value | undefined): unknown {
  if (v === undefined) return undefined;
  switch (v.kind) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
      return v.v;
    case 'none':
      return null;
    case 'path':
      return `Path:${v.v}`;
    case 'list':
    case 'tuple':
    case 'set':
      return v.items.map(js);
    case 'dict': {
      const o: Record<string, unknown> = {};
      v.keys.forEach((k, i) => {
        o[k.kind === 'str' ? k.v : JSON.stringify(js(k))] = js(v.values[i]);
      });
      if (v.partial) o.$partial = true;
      return o;
    }
    case 'unknown':
      return v.origin === 'env' ? `<env:${v.env?.map((e) => e.name).join(',') ?? '?'}>` : '<unknown>';
    case 'object':
      return `<${v.tag}>`;
  }
}

export class Evaluated {
  constructor(
    readonly fs: FileSystem,
    readonly root: string,
    readonly ws: Workspace,
    readonly project: DjangoProject,
    readonly mod: ModuleResult,
    readonly settings: Settings,
    readonly evaluator: Evaluator,
  ) {}

  /** The final value bound to `name` in the production module (undefined when unbound). */
  value(name: string): Value | undefined {
    return this.mod.scope.get(name)?.value;
  }

  /** The value as a plain JS value (see js()). */
  get(name: string): unknown {
    return js(this.value(name));
  }

  /** Settings view (Django's default when never set). */
  setting(name: string): Value {
    return this.settings.get(name).value;
  }

  origin(name: string): string | undefined {
    return this.value(name)?.origin;
  }

  /** "relative/file.py:line" of a location (1-based line). */
  where(loc: Loc | undefined): string | undefined {
    if (!loc) return undefined;
    const text = this.fs.readText(loc.file) ?? '';
    const line = text.slice(0, loc.start).split(/\r\n|\r|\n/).length;
    return `${path.relative(this.root, loc.file).split(path.sep).join('/')}:${line}`;
  }

  /** file:line where the value of `name` was written. */
  at(name: string): string | undefined {
    return this.where(this.value(name)?.loc);
  }

  /** file:line of the assignment target that bound `name`. */
  boundAt(name: string): string | undefined {
    return this.where(this.mod.scope.get(name)?.target);
  }

  /** The source text a location covers. */
  text(loc: Loc | undefined): string | undefined {
    if (!loc) return undefined;
    return this.fs.readText(loc.file)?.slice(loc.start, loc.end);
  }

  /** "file:line" of the first occurrence of `needle` in `file` (relative to the root). */
  line(file: string, needle: string, nth = 1): string {
    const text = this.fs.readText(path.join(this.root, file)) ?? '';
    let i = -1;
    for (let k = 0; k < nth; k++) {
      i = text.indexOf(needle, i + 1);
      if (i < 0) throw new Error(`${needle} not in ${file}`);
    }
    return `${file}:${text.slice(0, i).split(/\r\n|\r|\n/).length}`;
  }

  notes(kind?: EvalNote['kind']): EvalNote[] {
    return this.mod.notes.filter((n) => !kind || n.kind === kind);
  }

  envNames(name: string): string[] {
    return (this.value(name)?.env ?? []).map((e) => e.name);
  }
}

export interface RunOptions extends ProjectOptions {
  readonly root?: string;
  /** Which project of the workspace (by root folder name), when there are several. */
  readonly project?: string;
  /** Evaluate with the environment production's deployment files give (engine.productionEnvironment). */
  readonly deployment?: boolean;
}

/** Builds an in-memory project from files (paths relative to the root) and evaluates production. */
export function evaluateFiles(files: Record<string, string>, options: RunOptions = {}): Evaluated {
  const root = options.root ?? ROOT;
  return evaluateIn(new MemoryFileSystem(files, root), root, options);
}

/** Evaluates the production module of a folder on disk (test/fixtures/projects/<name>). */
export function evaluateFolder(dir: string, options: RunOptions = {}): Evaluated {
  return evaluateIn(new NodeFileSystem(), dir, options);
}

export function evaluateIn(fs: FileSystem, root: string, options: RunOptions = {}): Evaluated {
  const ws = new Workspace(fs, [root]);
  const projects = ws.projects(options);
  const project = options.project ? projects.find((p) => p.name === options.project || p.root.endsWith(options.project!)) : projects[0];
  if (!project) throw new Error(`no project found in ${root} (${projects.map((p) => p.root).join(', ')})`);
  const prod = project.production;
  if (!prod) throw new Error(`no production module: ${project.noProductionReason}`);
  const closed = options.deployment ? productionEnvironmentClosed(project, ws) : undefined;
  const evaluator = new Evaluator(
    ws.hostFor(project),
    options.deployment ? { environment: productionEnvironment(project, ws), ...(closed ? { closedEnvironment: closed } : {}) } : {},
  );
  const mod = evaluator.evaluate({ name: prod.module.name, file: prod.module.file, isPackage: prod.module.isPackage });
  const anchor = anchorOf(prod.module.file, ws.document(prod.module.file)?.text, ws.document(prod.module.file));
  return new Evaluated(fs, root, ws, project, mod, new Settings(mod, project.djangoVersion, anchor), evaluator);
}

/** One settings module (mysite/settings.py) in the standard skeleton, plus extra files. */
export function evaluateSettings(src: string, extra: Record<string, string> = {}, options: RunOptions = {}): Evaluated {
  return evaluateFiles({ ...SKELETON, 'mysite/settings.py': src, ...extra }, options);
}

/** The projects of an in-memory workspace (project model tests). */
export function projectsOf(files: Record<string, string>, options: ProjectOptions = {}, root = ROOT): DjangoProject[] {
  const ws = new Workspace(new MemoryFileSystem(files, root), [root]);
  return ws.projects(options);
}

/** The 1-based line of the first occurrence of `needle` in a file on disk. */
export function lineOf(file: string, needle: string): number {
  const text = readFileSync(file, 'utf8');
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return text.slice(0, i).split('\n').length;
}

/** The text files of a folder on disk, by path relative to it (to extend a fixture in memory). */
export function readFolder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}
