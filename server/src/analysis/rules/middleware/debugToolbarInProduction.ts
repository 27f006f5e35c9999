// DDH509: django-debug-toolbar installed in the production settings.
import { isPartial, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc } from '../../eval/values';
import { field, findNode, namedChildren, type PyNode } from '../../parse/ast';
import type { PythonDocument } from '../../parse/pythonDocument';
import { earlierDebugNote } from '../earlierDebug';
import type { SettingValue } from '../settings';
import type { FixSafety, Rule, RuleContext, Severity, SettingsRuleContext } from '../types';
import { isToolbarMiddleware, readMiddleware, type MwItem } from './order';
import { reportWithChange, type Change } from '../fixes/listEdits';
import { DEBUG_TOOLBAR, DEBUG_TOOLBAR_SHOW } from '../../catalogue/libraries';
import { placeOf } from '../helpers';

/** The toolbar's import name (`import debug_toolbar`) and its app entry. */
const MODULE = DEBUG_TOOLBAR.modules[0];
const APP = DEBUG_TOOLBAR.apps.toolbar;

/**
 * Removing the entry: unsafe where only production reads it; display-only where development reads
 * the same statement (a single settings module, a base module), which would lose its toolbar too.
 */
function removal(ctx: RuleContext, setting: SettingValue, item: MwItem, what: string): Change {
  const onlyProduction = ctx.fixer.productionEditSafety(item.loc.file) === 'safe';
  const safety: FixSafety = onlyProduction ? 'unsafe' : 'display-only';
  const title = onlyProduction
    ? `Remove ${what} from the production ${setting.name} (changes behaviour: the toolbar is no longer loaded)`
    : `Remove ${what} from ${setting.name} (changes behaviour: development, which runs this line too, loses the toolbar)`;
  return { setting, kind: 'remove', items: [item], title, safety };
}

const IMPORT_ERRORS = /^\(?\s*(ImportError|ModuleNotFoundError|Exception)\b/;

/** The dotted module names a block imports (`import debug_toolbar`, `from x import y`, `__import__("x")`). */
function importedModules(text: string, base: number, block: PyNode): string[] {
  const out: string[] = [];
  findNode(block, (n) => {
    if (n.type === 'import_statement')
      for (const d of namedChildren(n))
        out.push(
          text
            .slice(base + d.start, base + d.end)
            .split(/(?<!\s)\s+as\s+/)[0]!
            .trim(),
        );
    else if (n.type === 'import_from_statement') {
      const m = field(n, 'module_name');
      if (m) out.push(text.slice(base + m.start, base + m.end));
    } else if (n.type === 'call') {
      const fn = field(n, 'function');
      const fnText = fn ? text.slice(base + fn.start, base + fn.end) : '';
      const arg = namedChildren(field(n, 'arguments') ?? n)[0];
      const lit = arg?.type === 'string' ? /^["']([\w.]+)["']$/.exec(text.slice(base + arg.start, base + arg.end))?.[1] : undefined;
      if (lit && (fnText === '__import__' || /(^|\.)import_module$/.test(fnText))) out.push(lit);
    }
    return false;
  });
  return out;
}

/** Whether a block imports a debug_toolbar module. */
function importsToolbar(text: string, base: number, block: PyNode): boolean {
  return importedModules(text, base, block).some((m) => m.split('.').some((part) => part.includes(MODULE)));
}

/** `suppress(ImportError)` / `contextlib.suppress(ModuleNotFoundError, …)` among a with statement's items. */
function suppressesImportErrors(text: string, base: number, withStatement: PyNode): boolean {
  const clause = withStatement.children.find((c) => c.type === 'with_clause');
  return namedChildren(clause ?? withStatement).some((item) => {
    const value = field(item, 'value') ?? namedChildren(item)[0];
    if (value?.type !== 'call') return false;
    const fn = field(value, 'function');
    if (!fn || !/(^|\.)suppress$/.test(text.slice(base + fn.start, base + fn.end))) return false;
    return namedChildren(field(value, 'arguments') ?? value).some((a) => IMPORT_ERRORS.test(text.slice(base + a.start, base + a.end)));
  });
}

/**
 * The stretches of a file where an entry is added only when the toolbar can be imported: the body
 * (or the else clause) of a module-level `try` that imports a debug_toolbar module and catches its
 * ImportError, and the body of a `with suppress(ImportError):` that imports it before adding the
 * entry. Then production gets the toolbar exactly when its install has the package.
 * Computed once per parsed document (a list of 200 entries asks 200 times).
 */
// by document and text: an open buffer is one document whose text changes with each keystroke
const guardedRanges = new WeakMap<PythonDocument, { text: string; ranges: readonly { start: number; end: number }[] }>();

function importGuardedRanges(doc: PythonDocument): readonly { start: number; end: number }[] {
  const text = doc.text;
  const cached = guardedRanges.get(doc);
  if (cached?.text === text) return cached.ranges;
  const out: { start: number; end: number }[] = [];
  if (text.includes(MODULE)) {
    const visit = (n: PyNode, base: number): void => {
      if (n.type === 'function_definition' || n.type === 'class_definition') return;
      if (n.type === 'try_statement') {
        const body = field(n, 'body');
        const elseClause = n.children.find((c) => c.type === 'else_clause');
        const catches = n.children.some((c) => {
          if (c.type !== 'except_clause') return false;
          const what = c.children.find((k) => k.named && k.type !== 'block' && k.type !== 'comment');
          return !what || IMPORT_ERRORS.test(text.slice(base + what.start, base + what.end));
        });
        if (catches && body && importsToolbar(text, base, body)) {
          out.push({ start: base + body.start, end: base + body.end });
          if (elseClause) out.push({ start: base + elseClause.start, end: base + elseClause.end });
        }
      }
      if (n.type === 'with_statement') {
        const body = field(n, 'body');
        if (body && suppressesImportErrors(text, base, n) && importsToolbar(text, base, body))
          out.push({ start: base + body.start, end: base + body.end });
      }
      for (const c of n.children) visit(c, base);
    };
    for (const c of doc.chunks) visit(c.node, c.base);
  }
  guardedRanges.set(doc, { text, ranges: out });
  return out;
}

/** Whether the entry at `loc` is added only when the toolbar can be imported (see importGuardedRanges). */
function importGuarded(ctx: RuleContext, loc: Loc): boolean {
  const doc = ctx.document(loc.file);
  if (!doc) return false;
  return importGuardedRanges(doc).some((r) => r.start <= loc.start && r.end >= loc.end);
}

const CONFIG = DEBUG_TOOLBAR.settings.config.name;
const CALLBACK = DEBUG_TOOLBAR_SHOW.callback.value;

/**
 * What production's SHOW_TOOLBAR_CALLBACK decides, asked of the evaluator (the callback called as
 * the toolbar's middleware calls it, with a request the analysis does not know, its globals as its
 * module left them): `default` when the toolbar's own callback decides (DEBUG and INTERNAL_IPS: the
 * rule's usual finding); `never` when it returns a false value for any request, `never-unless` when
 * that false value is an environment default production may replace, `always` when a true one,
 * `unknown` when its result cannot be read.
 */
type Shows =
  | { readonly state: 'default' }
  | { readonly state: 'never'; readonly where: string }
  | { readonly state: 'always'; readonly where: string; readonly variables?: string }
  | { readonly state: 'never-unless'; readonly where: string; readonly variables: string }
  | { readonly state: 'unknown'; readonly where: string; readonly why: string };

function showDecision(ctx: SettingsRuleContext): Shows {
  const config = ctx.settings.get(CONFIG);
  if (!config.isSet) return { state: 'default' };
  const where = placeOf(ctx, config.loc);
  if (config.value.kind !== 'dict')
    return config.value.kind === 'unknown'
      ? { state: 'unknown', where, why: `${CONFIG} cannot be read (${config.value.reason})` }
      : { state: 'default' };
  const cb = V.dictGetStr(config.value, CALLBACK.key);
  if (cb === null) return { state: 'default' };
  if (cb === undefined) return { state: 'unknown', where, why: `whether ${CONFIG} sets ${CALLBACK.key} cannot be read` };
  const at = placeOf(ctx, ctx.settings.locOf(cb) ?? config.loc);
  if (cb.kind === 'str' && cb.v === CALLBACK.default) return { state: 'default' };
  // (a dotted path names a function of a module the settings read: the evaluator finds it)
  const loc = ctx.settings.locOf(cb) ?? config.loc;
  const result = ctx.settings.callAfterLoad(cb, [V.unknown('it depends on the request', loc)], loc);
  const shows = V.truthy(result);
  if (shows === undefined)
    return { state: 'unknown', where: at, why: result.kind === 'unknown' ? result.reason : 'its result cannot be read' };
  // a value an environment variable's default gives: production may set that variable
  const defaults = result.origin === 'env-default' ? [...new Set((result.env ?? []).map((e) => e.name))].join(', ') : '';
  if (shows) return { state: 'always', where: at, ...(defaults ? { variables: defaults } : {}) };
  return defaults ? { state: 'never-unless', where: at, variables: defaults } : { state: 'never', where: at };
}

/**
 * The finding for one entry: a warning; for an entry added only when the toolbar imports, a warning
 * when production's install has the package, nothing when production's dependencies leave it out
 * (undefined: the branch is not taken there), information when that cannot be seen.
 */
function entryFinding(
  ctx: RuleContext,
  loc: Loc,
  setting: string,
  what: string,
): { loc: Loc; message: string; severity?: Severity } | undefined {
  if (importGuarded(ctx, loc)) {
    const install = ctx.project.versions.debugToolbar ?? { kind: 'unknown' };
    if (install.kind === 'absent') return undefined;
    if (install.kind === 'production')
      return {
        loc,
        message: `${setting} holds ${what} whenever django-debug-toolbar can be imported, and production's install has it (${install.source}): the ImportError guard does not keep it out; install the package only for development, or add it only in the development settings.`,
      };
    return {
      loc,
      severity: 'information',
      message: `${setting} holds ${what} whenever django-debug-toolbar is installed (the ImportError guard around it only skips it when the package is missing), which depends on what production installs and the repository does not show: keep the package out of production's requirements, or add it only in the development settings.`,
    };
  }
  return {
    loc,
    message: `${setting} holds ${what} in the production settings${earlierDebugNote(ctx, loc) ?? ''}: add it only in the development settings.`,
  };
}

/** A finding as what production's SHOW_TOOLBAR_CALLBACK decides changes it (see showDecision). */
function withDecision(
  finding: { loc: Loc; message: string; severity?: Severity },
  shows: Shows,
): { loc: Loc; message: string; severity?: Severity } {
  const message = finding.message.replace(/\.$/, '');
  switch (shows.state) {
    case 'always':
      return {
        ...finding,
        message: `${message}. Its ${CALLBACK.key} (${shows.where}) returns a true value for every request with the values production's settings give${shows.variables ? ` (while ${shows.variables} is unset)` : ''}, so anyone can open the toolbar (SQL, settings, headers).`,
      };
    case 'never-unless':
      return {
        ...finding,
        severity: 'information',
        message: `${message}. Its ${CALLBACK.key} (${shows.where}) returns false while ${shows.variables} is unset, so no request sees the toolbar (responses pass through, its URLs answer 404); setting ${shows.variables} would open it.`,
      };
    case 'unknown':
      return {
        ...finding,
        severity: 'information',
        message: `${message}. Whether it shows rests on its ${CALLBACK.key} (${shows.where}), which the analysis cannot evaluate (${shows.why}); a request it refuses passes through untouched.`,
      };
    default:
      return finding;
  }
}

export const debugToolbarInProduction: Rule = {
  code: 'DDH509',
  name: 'debug-toolbar-in-production',
  title: 'Debug toolbar in production',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-apps',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "django-debug-toolbar is part of the production settings: the `debug_toolbar` app (or its AppConfig) in `INSTALLED_APPS`, or `DebugToolbarMiddleware` (or a library's subclass of it, such as strawberry-django's `strawberry_django.middlewares.debug_toolbar.DebugToolbarMiddleware`) in `MIDDLEWARE`. Each entry is reported. Adding them under `if DEBUG:` is fine when production's DEBUG is off: the analysis follows the condition. That is the DEBUG of the module running the `if`: an `if DEBUG:` in base.py sees base.py's DEBUG, not the one production.py sets afterwards, and the message then says so. Entries added inside `try: import debug_toolbar … except ImportError:` (or `with suppress(ImportError): import debug_toolbar …`) are there only when the package is installed: reported as a warning when production's dependencies install it (a requirements file not for development, pyproject's main dependencies, a production Dockerfile's `pip install`, or a development requirements file such a Dockerfile installs), not reported when production's dependencies are seen (a file not for development names Django) and only development files (requirements/dev.txt, Poetry dev groups, Pipfile dev-packages, optional dependencies) or none name the toolbar, and as information when what production installs cannot be seen. Lock files are not read for this: they hold the development groups too. A `SHOW_TOOLBAR_CALLBACK` in `DEBUG_TOOLBAR_CONFIG` (a lambda, a function, or the dotted path of one in the production module) is called as the toolbar calls it, with a request the analysis does not know and the module's values as production leaves them: when it returns a false value for every request (`lambda request: DEBUG and ENV == \"development\"` with production's DEBUG off), the toolbar never shows and the rule does not apply; when that false value is an environment variable's default, information naming the variable; when it returns a true value, a warning that says so; when its result cannot be read, information saying what it rests on.",
    why: "The toolbar shows SQL queries with their parameters, settings, headers, templates and cache calls to whoever `SHOW_TOOLBAR_CALLBACK` lets through: by default anyone whose address is in `INTERNAL_IPS` while DEBUG is on, and behind a proxy that address can be the proxy's for every visitor. On each request the callback lets through it instruments the panels (SQL, cache, templates), keeps the results and inserts itself into HTML responses, costing time and memory. On a request the callback refuses, its middleware hands the response back untouched and its own URLs answer 404. In production it is, at best, dead weight; at worst, one DEBUG switch (or one permissive callback) away from a data leak.",
    example: 'INSTALLED_APPS += ["debug_toolbar"]\nMIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")',
    fix: 'Add the toolbar only in the development settings module (or under `if DEBUG:` with DEBUG off in production), and install the package only as a development dependency. The quick fix removes the entry (its comments stay). It is unsafe where only production reads that line, and only a suggestion where development reads it too (a single settings module, a base module), since development would lose the toolbar: move it to the development settings instead.',
    good: '# settings/development.py\nfrom .base import *\nINSTALLED_APPS += ["debug_toolbar"]\nMIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")',
    references: [
      { title: 'django-debug-toolbar: installation', url: 'https://django-debug-toolbar.readthedocs.io/en/latest/installation.html' },
      { title: 'Django deployment checklist', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/' },
      { title: 'Django: INTERNAL_IPS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#internal-ips' },
    ],
  },
  check(ctx) {
    // the toolbar's callback refuses every request in production: it never shows (catalogue: the
    // middleware passes the response through, the toolbar's URLs answer 404)
    const shows = showDecision(ctx);
    if (shows.state === 'never')
      return ctx.notApplicable(
        `its ${CALLBACK.key} (${shows.where}) returns a false value for every request in production, so the toolbar never shows: its middleware hands each response back untouched and its URLs answer 404`,
      );
    let reported = false;
    let uncertain = false;
    // an entry added only when the toolbar imports, in a production whose install leaves it out
    let notInstalled = false;
    const apps = ctx.settings.get('INSTALLED_APPS');
    if (V.isSeq(apps.value)) {
      if (isPartial(apps.value)) uncertain = true;
      for (const [index, item] of apps.value.items.entries()) {
        if (item.kind !== 'str') {
          uncertain = true;
          continue;
        }
        if (item.v === APP || item.v.startsWith(`${MODULE}.apps.`)) {
          const entry: MwItem = { name: item.v, value: item, loc: ctx.settings.locOf(item) ?? apps.loc, index };
          const found = entryFinding(ctx, entry.loc, 'INSTALLED_APPS', 'django-debug-toolbar');
          const finding = found && withDecision(found, shows);
          if (!finding) {
            notInstalled = true;
            continue;
          }
          reported = true;
          reportWithChange(ctx, finding, removal(ctx, apps, entry, item.v === APP ? `'${APP}'` : 'the debug toolbar app'));
        }
      }
    } else if (apps.value.kind === 'unknown' && !isSupplied(apps.value)) uncertain = true;
    const list = readMiddleware(ctx);
    if (list) {
      if (!list.complete) uncertain = true;
      for (const item of list.items) {
        if (!isToolbarMiddleware(item.name)) continue;
        const found = entryFinding(ctx, item.loc, list.setting.name, 'DebugToolbarMiddleware');
        const finding = found && withDecision(found, shows);
        if (!finding) {
          notInstalled = true;
          continue;
        }
        reported = true;
        reportWithChange(ctx, finding, removal(ctx, list.setting, item, 'DebugToolbarMiddleware'));
      }
    }
    if (reported) return;
    if (uncertain) ctx.unknown('INSTALLED_APPS or MIDDLEWARE holds values the analysis cannot read');
    else if (notInstalled) {
      const install = ctx.project.versions.debugToolbar;
      const where = install?.kind === 'absent' ? install : undefined;
      ctx.notApplicable(
        `the toolbar is added only when it can be imported, and production's install leaves django-debug-toolbar out (${where?.production ?? 'its dependencies'} names Django; ${where?.dev ? `only ${where.dev} names the toolbar` : 'no dependency file names the toolbar'})`,
      );
    }
  },
};
