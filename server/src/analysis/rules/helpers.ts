// Small helpers shared by rule files: describing where a value comes from, finding list items.
import { shownPath } from '../base/relPath';
import * as path from 'node:path';
import { isPartial } from '../models/settings/query';
import * as V from '../eval/values';
import type { Loc, Value } from '../eval/values';
import { type FallbackUse, takenEvidence } from '../models/settings/fallback';
import type { SettingValue } from './settings';
import type { BasisLink, SettingsRuleContext } from './types';
import { mailSender } from '../models/settings/usage';
import { proxyExpected } from '../models/settings/proxySslHeader';
import type { ExpectedProxy } from '../models/requestPath/front';

export { isWrittenInCode, provenanceNote as originNote } from '../models/settings/query';
export { unknownReason } from './settings';

/** Items of a sequence setting with their locations (falling back to the setting's location). */
export function itemsWithLoc(s: SettingValue, locOf: (v: Value) => Loc | undefined): { item: Value; loc: Loc }[] {
  if (!V.isSeq(s.value)) return [];
  return s.value.items.map((item) => ({ item, loc: locOf(item) ?? s.loc }));
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Whether INSTALLED_APPS holds an app, named by its module (`django.contrib.sessions`) or by an
 * AppConfig path inside it (`django.contrib.sessions.apps.SessionsConfig`): the matching item and
 * its location, false when surely absent, undefined when the list or one of its items cannot be
 * read, or holds a project's own AppConfig class named after the app (`myproject.apps.MyAdminConfig`
 * may set `name = "django.contrib.admin"`).
 */
export function installedApp(
  settings: { get(name: string): SettingValue; locOf(v: Value | undefined): Loc | undefined },
  app: string,
): { item: Value; loc: Loc } | false | undefined {
  const s = settings.get('INSTALLED_APPS');
  if (!V.isSeq(s.value)) return s.value.kind === 'unknown' ? undefined : false;
  let uncertain = isPartial(s.value);
  for (const item of s.value.items) {
    if (item.kind !== 'str') {
      uncertain = true;
      continue;
    }
    if (item.v === app || item.v.startsWith(app + '.apps.')) return { item, loc: settings.locOf(item) ?? s.loc };
    // a project's own AppConfig for this app, by Django's convention named after it (MyAdminConfig)
    const cls = /\.([A-Z]\w*Config)$/.exec(item.v)?.[1];
    if (cls && !item.v.startsWith('django.') && cls.toLowerCase().includes(app.slice(app.lastIndexOf('.') + 1).toLowerCase()))
      uncertain = true;
  }
  return uncertain ? undefined : false;
}

/**
 * A dict key or name from the settings that a message may repeat (an alias such as "default" or
 * "replica"), or undefined for anything that could be arbitrary text: messages never echo a string
 * that might be a secret.
 */
export function echoable(name: string): string | undefined {
  return /^[A-Za-z_][A-Za-z_-]{0,59}$/.test(name) || /^[A-Za-z_][\w-]{0,11}$/.test(name) ? name : undefined;
}

/** "k8s/config.yaml": a file as messages name files, from the workspace folder (base/relPath.ts shownPath). */
export function fileOf(ctx: { readonly project: { readonly shownRoot: string } }, file: string): string {
  return shownPath(ctx.project, file);
}

/**
 * The proxy in front the production settings expect (SECURE_PROXY_SSL_HEADER set, which Django
 * reads): what says so, for frontCover, which takes such a proxy the repository does not show for
 * an unknown hop rather than none.
 */
export function expectedProxy(ctx: SettingsRuleContext): ExpectedProxy | undefined {
  const a = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
  if (!proxyExpected(a)) return undefined;
  return {
    what: `the TLS proxy SECURE_PROXY_SSL_HEADER expects (${placeOf(ctx, a.setting.loc)}) is not shown in front of the app`,
  };
}

/** "k8s/config.yaml:8": a place in a file, from the workspace folder. */
export function placeOf(
  ctx: { readonly project: { readonly shownRoot: string }; fileText(file: string): string | undefined },
  loc: Loc,
): string {
  const text = ctx.fileText(loc.file) ?? '';
  let line = 1;
  for (let i = 0; i < loc.start && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return `${fileOf(ctx, loc.file)}:${line}`;
}

/** The line of a dependency file that names a package (with its pinned release, when given): where a finding about it lands. */
export function requirementLoc(ctx: { fileText(file: string): string | undefined }, file: string, name: string, exact?: string): Loc {
  const text = ctx.fileText(file) ?? '';
  const lines = text.split('\n');
  let offset = 0;
  let first: Loc | undefined;
  const wanted = name.toLowerCase();
  for (const l of lines) {
    const lower = l.toLowerCase();
    const at = lower.indexOf(wanted);
    const word = at >= 0 && !/[a-z0-9_-]/.test(lower[at - 1] ?? ' ') && !/[a-z0-9_]/.test(lower[at + wanted.length] ?? ' ');
    if (word && !lower.trimStart().startsWith('#')) {
      const loc = { file, start: offset + at, end: offset + l.replace(/\r$/, '').length };
      if (!exact || lower.includes(exact)) return loc;
      first ??= loc;
    }
    offset += l.length + 1;
  }
  return first ?? { file, start: 0, end: 0 };
}

/**
 * The links of a finding about a functional fallback the rule judged itself (models/settings/fallback.ts):
 * each variable whose absence gives the fallback, known to be unset where production's deployment is
 * seen to leave it so, else as written unless the deployment sets it — said in the rule's message
 * and weighed in its severity, so the engine adds no clause and lowers nothing (BasisLink.said).
 */
export function fallbackBasis(use: FallbackUse | undefined): BasisLink[] | undefined {
  if (!use) return undefined;
  return use.variables.map((name) =>
    use.use === 'taken'
      ? { kind: 'value', subject: name, state: 'known', how: `production's deployment leaves ${name} unset (${takenEvidence(use)})` }
      : { kind: 'value', subject: name, state: 'overridable', how: `the fallback production takes when ${name} is not set`, said: true },
  );
}

/**
 * Whether a dotted module is a package of the project itself: its `__init__.py` (or, for a
 * namespace package, its `apps.py`) is under one of the project's import roots.
 */
export function ownPackage(ctx: {
  readonly project: { readonly importRoots: readonly string[] };
  fileText(file: string): string | undefined;
}): (module: string) => boolean {
  return (module) => {
    const parts = module.split('.');
    return ctx.project.importRoots.some((root) =>
      ['__init__.py', 'apps.py'].some((f) => ctx.fileText(path.join(root, ...parts, f)) !== undefined),
    );
  };
}

/**
 * Whether anything in the project sends mail (the question DDH803 and DDH804 lean on): the settings'
 * senders (mailSender: ADMINS' error reports, MANAGERS' broken-link reports, a mail-sending app, the
 * mail API in the settings), else the project's own code (appKind.ts codeSendsMail: Django's mail
 * API, email_user(), the password-reset views or the auth URLconf routing them). No says what was
 * searched; unknown when the code was not all searched.
 */
export function projectSendsMail(ctx: SettingsRuleContext): { readonly state: 'yes' | 'no' | 'unknown'; readonly why: string } {
  const sender = mailSender(
    ctx.settings,
    (f) => ctx.fileText(f),
    (f) => fileOf(ctx, f),
    ownPackage(ctx),
  );
  if (sender) return { state: 'yes', why: sender };
  const code = ctx.codeSendsMail;
  if (!code) return { state: 'unknown', why: "the project's code was not searched" };
  if (code.state !== 'no') return code;
  return {
    state: 'no',
    why: `no ADMINS, mail-sending app or mail call in the settings; ${code.why}`,
  };
}
