// The first phase of a project's analysis: its production settings module evaluated (under the
// environment the deployment files give production, with the Python files the deployment mounts
// into the package), its settings, and where findings about nothing in particular land. The
// language server keeps the modules' evaluations between analyses (moduleCache).
import * as nodePath from 'node:path';
import { shownPath } from '../base/relPath';
import { Evaluator } from '../eval/evaluator';
import { ModuleCache } from '../reuse/moduleCache';
import { CachingEvaluator } from '../reuse/moduleReuse';
import { RecordingHost } from '../reuse/recordingHost';
import type { EvalNote, ModuleResult } from '../eval/scope';
import type { Loc } from '../eval/values';
import { productionMounts, type ProductionMount } from '../models/process/index';
import type { DjangoProject } from '../models/project/model';
import { firstStatement } from '../models/settings/neverSet';
import type { PythonDocument } from '../parse/pythonDocument';
import { withParseDeadline } from '../parse/treeSitter';
import { Settings } from '../rules/settings';
import { productionEnvironment, productionEnvironmentClosed, productionEnvironmentUnread } from './deployment';
import type { AnalysisOptions } from './types';
import type { Workspace } from './workspace';

/** What evaluating the production settings gave (nothing but `files` and `mounts` for a project without them). */
export interface Production {
  /** Files whose diagnostics the analysis owns: the production settings and what they import (the migration files checked are added later). */
  readonly files: Set<string>;
  readonly evaluation: ModuleResult | undefined;
  readonly settings: Settings | undefined;
  readonly anchor: Loc | undefined;
  /** Every module the evaluation read, by file. */
  readonly modules: ReadonlyMap<string, ModuleResult>;
  /**
   * The Python files production's deployment mounts into the package (a ConfigMap at
   * /app/mysite/local_settings.py): imported from there, their findings placed where they are written.
   */
  readonly mounts: ReadonlyMap<string, ProductionMount>;
  /** Why the workspace skipped a file when the evaluation asked for it (too large, its parse out of time). */
  readonly unread: ReadonlyMap<string, string>;
}

/**
 * Where findings about nothing in particular land (and never-set settings with no block of their
 * own): the production module's first statement, never its docstring (see models/settings/neverSet.ts).
 */
export function anchorOf(file: string, text: string | undefined, doc?: PythonDocument): Loc {
  return firstStatement(file, doc, text);
}

const moduleCaches = new WeakMap<Workspace, Map<string, ModuleCache>>();

/** The kept module evaluations of a project of a workspace (see AnalysisOptions.reuseModules). */
export function moduleCache(ws: Workspace, project: DjangoProject): ModuleCache {
  let byRoot = moduleCaches.get(ws);
  if (!byRoot) moduleCaches.set(ws, (byRoot = new Map()));
  let cache = byRoot.get(project.root);
  if (!cache) byRoot.set(project.root, (cache = new ModuleCache()));
  return cache;
}

/**
 * Builds now, while nothing waits, what the next keystroke's analysis of a project would build
 * first from its kept evaluations (the statements' read and write index): the language server
 * calls it when typing pauses.
 */
export function prepareForTyping(ws: Workspace, project: DjangoProject): void {
  moduleCaches.get(ws)?.get(project.root)?.prepare();
}

/** Evaluates the project's production settings module, reading and parsing held to `deadline`. */
export function evaluateProduction(ws: Workspace, project: DjangoProject, options: AnalysisOptions, budgetMs: number): Production {
  const files = new Set<string>();
  const prod = project.production;
  let evaluation: ModuleResult | undefined;
  let settings: Settings | undefined;
  let anchor: Loc | undefined;
  let modules: ReadonlyMap<string, ModuleResult> = new Map();
  const mounts =
    prod && project.files.some((f) => f.kind === 'manifest' || f.kind === 'config' || f.kind === 'dockerfile' || f.kind === 'shell')
      ? withParseDeadline(Date.now() + budgetMs, () => productionMounts(ws, project))
      : new Map<string, ProductionMount>();
  const unread = new Map<string, string>();
  if (prod) {
    const environment = productionEnvironment(project, ws);
    const closed = productionEnvironmentClosed(project, ws);
    const unreadEnv = productionEnvironmentUnread(project, ws);
    // the settings get the whole budget, whatever reading the deployment files took (megabytes of a
    // cluster's manifests must not leave the settings module unparsed)
    const deadline = Date.now() + budgetMs;
    // (the class wsgi.py selects when the deployment names none: models/project entryPointConfiguration)
    const configuration = project.configurationDefault;
    const evalOptions = {
      deadline,
      isCancelled: options.isCancelled,
      environment,
      ...(closed ? { closedEnvironment: closed } : {}),
      ...(configuration?.file !== undefined && configuration.line !== undefined
        ? {
            configurationDefault: {
              value: configuration.value,
              where: `${shownPath(project, configuration.file)}:${configuration.line + 1}`,
            },
          }
        : {}),
    };
    const host = ws.hostFor(project, mounts);
    const evaluator = options.reuseModules
      ? new CachingEvaluator(new RecordingHost(host), evalOptions, moduleCache(ws, project))
      : new Evaluator(host, evalOptions);
    // parsing the modules it reads is held to the same deadline
    evaluation = withParseDeadline(deadline, () =>
      evaluator.evaluate({ name: prod.module.name, file: prod.module.file, isPackage: prod.module.isPackage }),
    );
    modules = evaluator.modules;
    for (const f of evaluation.files) files.add(f);
    // why a module could not be read, as it was then (a parse the deadline cut short may succeed later)
    for (const [f, why] of ws.skipped) unread.set(f, why);
    anchor = anchorOf(prod.module.file, ws.text(prod.module.file), ws.document(prod.module.file));
    settings = new Settings(
      evaluation,
      project.djangoVersion,
      anchor,
      {
        sets: new Set(environment.keys()),
        ...(closed ? { closed } : {}),
        ...(unreadEnv.length > 0 ? { unread: unreadEnv } : {}),
      },
      (file) => ws.text(file),
      (fn, args, loc) => evaluator.callAfterLoad(fn, args, loc),
    );
  }
  return { files, evaluation, settings, anchor, modules, mounts, unread };
}

/**
 * The evaluation's notes as the analysis reports them: a module that could not be read says why
 * (skipped by the workspace, or mounted by the deployment with a content not known here).
 */
export function productionNotes(ws: Workspace, production: Production): EvalNote[] {
  const { files, evaluation, anchor, mounts, unread } = production;
  const notes: EvalNote[] = [...(evaluation?.notes ?? [])];
  const why = (f: string): string | undefined => unread.get(f) ?? ws.skipped.get(f);
  const skipped = [...files].filter((f) => why(f) !== undefined);
  if (skipped.length > 0) {
    // The evaluator only knows a module "could not be read"; say why, once per file.
    for (let i = notes.length - 1; i >= 0; i--) if (notes[i]!.kind === 'unreadable') notes.splice(i, 1);
    for (const f of skipped)
      notes.push({ kind: 'unreadable', message: `${f.split(/[\\/]/).pop()} was not analysed: ${why(f)}.`, loc: anchor });
  }
  // …and a module the deployment mounts without a content known here: why
  for (let i = 0; i < notes.length; i++) {
    const n = notes[i]!;
    if (n.kind !== 'unreadable' || !n.message.endsWith(' could not be read')) continue;
    const last = n.message.slice(0, -' could not be read'.length).split('.').pop();
    const m = [...mounts.values()].find((x) => !x.content && !x.real && nodePath.basename(x.file) === `${last}.py`);
    if (m)
      notes[i] = {
        ...n,
        message: m.providedBy
          ? `${n.message}: ${m.providedBy}; the settings it binds are unknown here`
          : `${n.message}, as production's deployment mounts it (${m.from}) with a content not known here`,
      };
  }
  return notes;
}
