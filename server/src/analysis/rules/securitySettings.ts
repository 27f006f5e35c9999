// Shared by the HTTPS & cookies and security-headers rules (so in no group of its own), which mirror Django's deploy checks of
// the security settings: reading "is True" the way each Django version does, deciding whether the
// middleware a check depends on is installed, describing a value without repeating it, and building
// the "set it in production" fixes of the security-settings bundle.
import { hstsOn } from '../models/settings/hsts';
import { isSupplied, unlessSetNote } from '../models/settings/query';
import * as V from '../eval/values';
import type { Loc } from '../eval/values';
import { findNode } from '../parse/ast';
import { PythonDocument } from '../parse/pythonDocument';
import { atLeast } from '../models/project/version';
import { originNote, unknownReason } from './helpers';
import { earlierDebugNote } from './earlierDebug';
import { describeSkipped, skippedAssignment, type SkippedAssignment } from './skippedAssignment';
import { hasExact, infoOf, readMiddleware, short, type MwList } from './middleware/order';
import type { SettingValue } from './settings';
import type { BasisLink, Fix, FixSafety, Rule, RuleContext, TextEdit } from './types';
import { type FallbackUse, takenEvidence, variablesText } from '../models/settings/fallback';

export { MW } from '../models/settings/middleware';

/** What a rule's condition says about the production settings, before middleware is considered. */
export type Verdict =
  | { readonly state: 'pass' }
  | { readonly state: 'unknown'; readonly reason: string; readonly loc: Loc }
  /** Django does not look at the setting in this configuration (e.g. HSTS is off for W005). */
  | { readonly state: 'not-applicable'; readonly reason: string }
  | { readonly state: 'fail'; readonly setting: SettingValue; readonly loc?: Loc; readonly detail?: string };

export const PASS: Verdict = { state: 'pass' };

/** What the verdict functions read: a rule context, or just the settings and the version. */
export type SettingsView = Pick<RuleContext, 'settings' | 'version'>;

/**
 * The verdict for a value the analysis cannot decide: a value required from the environment is a
 * safe unknown (the deployment chooses it, as with every other rule), anything else is unknown.
 */
export function undecided(s: SettingValue): Verdict {
  return s.value.kind === 'unknown' && isSupplied(s.value) ? PASS : { state: 'unknown', reason: unknownReason(s), loc: s.loc };
}

/**
 * A check Django only makes while HSTS is on (W005, W021, and our ramp-up advice): the verdict for
 * the setting when the seconds are known to be truthy, not applicable when they are false.
 */
export function whileHstsOn(view: SettingsView, what: string, verdict: () => Verdict): Verdict {
  const { on, setting } = hstsOn(view.settings);
  if (on === undefined) return undecided(setting);
  if (!on) return { state: 'not-applicable', reason: `HSTS is off (DDH302), so ${what} does not matter` };
  return verdict();
}

/**
 * Django's "is True" test: since 4.1 (django/django#15443) the cookie checks want the boolean True;
 * before that any truthy value passed them. The SecurityMiddleware checks always used `is True`.
 */
export function cookieChecksStrict(view: SettingsView): boolean {
  return atLeast(view.version, '4.1');
}

/** Whether a known value passes `value is True` (strict) or `bool(value)`; undefined when unknown. */
export function passesTrue(v: V.Value, strict: boolean): boolean | undefined {
  if (v.kind === 'unknown') return undefined;
  return strict ? v.kind === 'bool' && v.v : V.truthy(v);
}

/** The verdict of "`name` is True" (strict or truthy). */
export function mustBeTrue(view: SettingsView, name: string, strict: boolean): Verdict {
  const s = view.settings.get(name);
  const ok = passesTrue(s.value, strict);
  if (ok === undefined) return undecided(s);
  return ok ? PASS : { state: 'fail', setting: s };
}

/**
 * How a setting that fails "is True" stands, for messages: "is never set (Django's default is
 * False)", "is False", "is not the boolean True"… Only booleans and None are named, never other values.
 */
export function describeNotTrue(s: SettingValue, strict: boolean, place?: FailingPlace): string {
  const v = s.value;
  const shown = v.kind === 'bool' || v.kind === 'none' ? V.repr(v) : undefined;
  if (!s.isSet && place?.skipped) return describeSkipped(place.skipped, shown ? `Django's default (${shown})` : "Django's default");
  if (!s.isSet) return `is never set (Django's default is ${shown ?? 'not True'}${unlessSetNote(v)})`;
  const note = place?.note ?? originNote(v);
  if (v.kind === 'bool' || v.kind === 'none') return `is ${V.repr(v)}${note}`;
  return strict ? `is not the boolean True${note}` : `is a false value${note}`;
}

/**
 * Where a failing setting's finding lands: its value, or, when the settings assign it only in a
 * branch production skips, that assignment (no fix is offered then: the project made the setting
 * conditional on purpose, and setting it unconditionally would override that choice).
 */
export function failingPlace(ctx: RuleContext, s: SettingValue): FailingPlace {
  const skipped = skippedAssignment(ctx, s);
  if (skipped) {
    // the branch runs when the deployment sets a variable: production skips it only where the
    // deployment is seen to leave the variable unset; else the finding rests on what is not seen
    const use = ctx.settings.withoutVariables(skipped.env);
    return use ? { loc: skipped.loc, skipped, basis: skippedBasis(use) } : { loc: skipped.loc, skipped };
  }
  const note = s.isSet ? earlierDebugNote(ctx, s.loc) : undefined;
  return note ? { loc: s.loc, note } : { loc: s.loc };
}

/**
 * The links of a finding about a setting assigned only in a branch that the variables `use` names
 * select: known to be skipped where production's deployment is seen to leave them unset, else as
 * written unless the deployment sets one (the engine lowers the finding and ends it with the clause).
 */
function skippedBasis(use: FallbackUse): BasisLink[] {
  const vars = variablesText(use.variables);
  return use.use === 'taken'
    ? use.variables.map((name) => ({
        kind: 'value' as const,
        subject: name,
        state: 'known' as const,
        how: `production's deployment leaves ${name} unset (${takenEvidence(use)}), so the branch that sets it is skipped`,
      }))
    : [
        {
          kind: 'value' as const,
          subject: use.variables[0]!,
          state: 'overridable' as const,
          how: `the branch that sets it runs when ${vars} is set, which the repository does not show the deployment doing`,
          clause: `unless ${vars} is set where it runs, which the repository does not show`,
        },
      ];
}

export interface FailingPlace {
  readonly loc: Loc;
  /** The setting is only assigned in a branch production skips. */
  readonly skipped?: SkippedAssignment;
  /** What the skipping rests on: the variables that select the branch, unset or maybe set where production runs. */
  readonly basis?: readonly BasisLink[];
  /** Said instead of the value's origin: it was computed from another module's DEBUG. */
  readonly note?: string;
}

/**
 * Whether a middleware is installed: true/false, or undefined after saying why with ctx.unknown
 * (the list, or an item that might be it, cannot be read). Django's checks use plain `in` on the list.
 */
export function middlewareInstalled(ctx: RuleContext, path: string): { installed: boolean | undefined; list?: MwList } {
  const list = readMiddleware(ctx);
  if (!list) {
    // readMiddleware is silent when the list is required from the environment; it is still unknown here
    ctx.unknown('MIDDLEWARE is read from the environment, so whether it holds ' + short(path) + ' is unknown');
    return { installed: undefined };
  }
  let installed = hasExact(list, path);
  let unreadable = list.setting.name;
  // Django 1.10 and 1.11 accept the middleware in either list, and MIDDLEWARE_CLASSES keeps its
  // default (CommonMiddleware, CsrfViewMiddleware) when a project moves to MIDDLEWARE.
  if (list.setting.name === 'MIDDLEWARE' && atLeast(ctx.version, '1.10') && !atLeast(ctx.version, '2.0') && installed !== true) {
    const old = ctx.settings.contains('MIDDLEWARE_CLASSES', path);
    if (old === undefined && installed === false) unreadable = 'MIDDLEWARE_CLASSES';
    installed = old === true ? true : old === false ? installed : undefined;
  }
  if (installed === undefined) ctx.unknown(`${unreadable} holds items the analysis cannot read`, list.setting.loc);
  return { installed, list };
}

/**
 * A class of the project's that derives from the middleware (`class CustomSecurityMiddleware(
 * SecurityMiddleware)`, read statically: models/settings/middlewareClass.ts) listed in its place:
 * it does what the middleware does, while Django's checks, which test the exact dotted path, take
 * the middleware for missing (they report its W001/W002/W003 and skip the checks that need it).
 */
export function subclassInstalled(list: MwList, path: string): (MwList['items'][number] & { readonly name: string }) | undefined {
  return list.items.find((i): i is MwList['items'][number] & { readonly name: string } => i.is === path && !!i.name && i.name !== path);
}

/** The information-level message of a "middleware missing" rule where the project's subclass of it is installed. */
export function subclassNote(ctx: RuleContext, list: MwList, path: string, djangoId: string, code: string): string | undefined {
  const sub = subclassInstalled(list, path);
  if (!sub) return undefined;
  // a subclass that overrides the methods doing the work may not do it all: say so, without reading them
  const over = infoOf(ctx, sub.name).overrides;
  const does = over?.length
    ? `it overrides ${over.join(' and ')} without calling ${short(path)}'s, so what it still does is not read`
    : `it does what ${short(path)} does (this analysis checks the settings it applies)`;
  return `${list.setting.name} has ${sub.name}, the project's subclass of ${short(path)}, not ${short(path)} itself: ${does}, but Django's check (${djangoId}) looks for the exact path and reports it all the same; silence ${djangoId} (SILENCED_SYSTEM_CHECKS) or add # noqa: ${code}.`;
}

/**
 * Runs a check that Django only makes when a middleware is installed: a passing value needs no
 * middleware; otherwise a missing middleware makes the rule not applicable, an unknown one unknown.
 * The project's subclass of the middleware does what it does, so the check is made with it too
 * (where Django's own check, which tests the exact path, skips it).
 */
export function withMiddleware(
  ctx: RuleContext,
  path: string,
  verdict: Verdict,
  onFail: (fail: Extract<Verdict, { state: 'fail' }>) => void,
): void {
  if (verdict.state === 'pass') return;
  if (verdict.state === 'not-applicable') return ctx.notApplicable(verdict.reason);
  const { installed, list } = middlewareInstalled(ctx, path);
  if (installed === undefined) return;
  if (!installed && !(list && subclassInstalled(list, path)))
    return ctx.notApplicable(`${short(path)} is not installed (the check only applies with it)`);
  if (verdict.state === 'unknown') return ctx.unknown(verdict.reason, verdict.loc);
  onFail(verdict);
}

/** Whether a rule's Django check exists in the project's Django version (as the engine decides). */
export function ruleApplies(rule: Rule, view: SettingsView): boolean {
  const r = rule.djangoVersions;
  if (r?.since && !atLeast(view.version, r.since)) return false;
  if (r?.removedIn && atLeast(view.version, r.removedIn)) return false;
  return true;
}

/** The production module's file, which every fix of this bundle edits or extends. */
function productionFile(ctx: RuleContext): string | undefined {
  return ctx.project.production?.module.file;
}

/** True when the production module itself assigns the setting (a fix then replaces its value). */
export function setInProduction(ctx: RuleContext, s: SettingValue): boolean {
  return s.isSet && s.binding?.stmt?.file === productionFile(ctx);
}

/** Safe when the edit only reaches production (a production-only module), else unsafe. */
export function productionOnlySafety(ctx: RuleContext): FixSafety {
  return ctx.fixer.productionEditSafety(productionFile(ctx));
}

/**
 * Whether rewriting the setting's value would drop a comment written inside it (a multi-line
 * tuple with notes on its items): such a value is not rewritten.
 */
function valueHoldsComment(ctx: RuleContext, s: SettingValue): boolean {
  if (!setInProduction(ctx, s)) return false;
  const rhs = ctx.fixer.rhsOf(s.binding);
  const text = rhs ? ctx.fileText(rhs.file)?.slice(rhs.start, rhs.end) : undefined;
  if (!text?.includes('#')) return false;
  return PythonDocument.parse(text).chunks.some((c) => findNode(c.node, (n) => n.type === 'comment') !== undefined);
}

/**
 * A fix that makes production assign `s.name = python`. Not offered when the value is read from
 * the environment (replacing or overriding the lookup would take that choice away from the
 * deployment), nor when the value it would replace holds a comment.
 */
export function securitySettingFix(
  ctx: RuleContext,
  s: SettingValue,
  python: string,
  opts: { title: string; safety: FixSafety },
): Fix | undefined {
  if (s.value.env?.length || valueHoldsComment(ctx, s)) return undefined;
  return ctx.fixer.setSetting(s, python, { title: opts.title, safety: opts.safety, bundle: 'security-settings' });
}

/**
 * One fix setting several settings at once (HSTS is turned on together with the flags Django then
 * wants): replacements where production assigns them, one insertion for the rest, since two
 * insertions at one place would overlap. `inserted` is the text used when the line is added (it may
 * carry a trailing comment); `replaced` when an existing value is rewritten.
 */
export function securitySettingsFix(
  ctx: RuleContext,
  items: readonly { s: SettingValue; replaced: string; inserted: string }[],
  opts: { title: string; safety: FixSafety },
): Fix | undefined {
  if (items.some((i) => i.s.value.env?.length || valueHoldsComment(ctx, i.s))) return undefined;
  const edits: TextEdit[] = [];
  for (const i of items) {
    const fix = ctx.fixer.setSetting(i.s, setInProduction(ctx, i.s) ? i.replaced : i.inserted, { safety: opts.safety });
    if (!fix) return undefined;
    for (const e of fix.edits) {
      const same = edits.findIndex((x) => x.file === e.file && x.start === e.start && x.end === e.end && e.start === e.end);
      // the later insertion drops its own blank-line separator
      if (same >= 0) edits[same] = { ...edits[same]!, newText: edits[same]!.newText + e.newText.replace(/^(\r?\n|\r)+/, '') };
      else edits.push(e);
    }
  }
  return edits.length > 0 ? { title: opts.title, safety: opts.safety, edits, bundle: 'security-settings' } : undefined;
}
