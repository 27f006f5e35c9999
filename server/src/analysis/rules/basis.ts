// Links of a finding's chain that only a rule knows (see Finding.basis and engine/basis.ts): the
// engine takes the value at a finding's place to be what production runs with, so a default of an
// environment lookup is "as written unless overridden" and lowers the finding. A rule whose claim is
// about the written fallback itself (a credential committed as a default, a DEBUG that fails open)
// or about how the settings read a variable (bool() of its text) says so with its own link for that
// variable, which replaces the engine's.
import { shownPath } from '../base/relPath';
import type { EnvRef, Override, Value } from '../eval/values';
import { chartEnvironments, generatedEnvironments, type ProcessModel, type ProcessSource } from '../models/process/index';
import { unreadMayHold } from '../readers/kubernetes/manifests';
import type { BasisLink, RuleContext, RuleContextBase } from './types';
import type { StartupGuard } from './startupGuard';

/** The production processes' sources whose environment sets `name` (a secret, an interpolation, an env file), in file order. */
export function sourcesSetting(m: ProcessModel, name: string): ProcessSource[] {
  const out = new Set<ProcessSource>();
  const add = (s: ProcessSource): void => {
    if (s.production && s.env.has(name)) out.add(s);
  };
  for (const i of m.invocations) add(i.source);
  for (const w of m.workloads) if (!w.process.once && !w.process.scheduled) add(w.source);
  for (const s of m.scripts) add(s.source);
  for (const f of m.forwards) add(f.source);
  // (a compose service running its image's own command: the service's environment is the process's)
  for (const i of m.invocations)
    if (i.source.production)
      for (const st of m.starters.get(i.source) ?? [])
        if (st.envSource && st.production && st.envSource.env.has(name)) out.add(st.envSource);
  return [...out].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * A value the deployment gives a lookup that writes a default, where the only evidence of it is a
 * file listing the variable for the deployer to copy by hand into the platform's settings
 * (`railway.env.example`, EnvRef.listed): nothing enforces it, so the written default (a fail-open
 * one: a key, DEBUG on, every host) runs wherever it is forgotten. That default, the variable and the file.
 */
export function listedDefault(v: Value): { readonly written: Value; readonly variable: string; readonly listed: string } | undefined {
  const written = v.writtenDefault;
  if (!written) return undefined;
  const ref = v.env?.find((e) => e.listed !== undefined);
  if (!ref?.listed) return undefined;
  return { written, variable: ref.name, listed: ref.listed };
}

/**
 * The link of a finding about a written fail-open default whose variable only a file listing it for
 * the deployer to set by hand gives (see listedDefault): overridable, a step lower than a default
 * nothing sets.
 */
export function listedLink(variable: string, listed: string): BasisLink {
  return {
    kind: 'value',
    subject: variable,
    state: 'overridable',
    how: `${listed} lists ${variable} for the deployer to set by hand, which nothing enforces: the written default is used wherever it is forgotten`,
    clause: `if ${variable} is forgotten where it is deployed: ${listed} lists it to set`,
  };
}

/**
 * The link of a finding about a written fallback (the default of the lookup of `variable`): the
 * claim holds as long as production can run without the variable, which is certain unless a
 * production deployment file sets it (from a secret, the host's environment or a file not in the
 * repository): then the fallback is not what that deployment runs, and the finding only says what
 * would happen without it.
 */
export function fallbackLink(ctx: RuleContextBase, lookup: EnvRef | string): BasisLink {
  const variable = typeof lookup === 'string' ? lookup : lookup.name;
  const setting = sourcesSetting(ctx.appServer.processes, variable);
  // an environment file production's processes load that the repository does not have (compose's
  // `env_file: .env`, ignored by git) may set it: the fallback is then only what runs without it
  const unread =
    setting.length === 0 ? unreadEnvironment(ctx.appServer.processes, variable, ctx.project.production?.module.name) : undefined;
  if (unread)
    return {
      kind: 'value',
      subject: variable,
      state: 'overridable',
      how: `${unread.label} loads ${unread.what}, which may set ${variable}: the written fallback is only used where it does not`,
      clause: `unless ${unread.what} sets ${variable}`,
    };
  if (setting.length === 0)
    return {
      kind: 'value',
      subject: variable,
      state: 'known',
      how: `the fallback written in the settings is what production runs with whenever ${variable} is missing; no deployment file sets it`,
    };
  const by = setting[0]!;
  const file = shownPath(ctx.project, by.file);
  return {
    kind: 'value',
    subject: variable,
    state: 'overridable',
    how: `${by.label} sets ${variable} (in ${file}): the written fallback is only used where it is not set`,
    clause: `if production runs without ${variable}: ${file} sets it`,
  };
}

/**
 * The first production process source that loads an environment the repository does not have (an
 * env_file, an envFrom of a Secret not in it) that may set `variable`, with what it is.
 */
function unreadEnvironment(m: ProcessModel, variable: string, module: string | undefined): { label: string; what: string } | undefined {
  const sources = [
    ...m.invocations.map((i) => i.source),
    ...m.workloads.filter((w) => !w.process.once && !w.process.scheduled).map((w) => w.source),
    // (a compose service running a start script: `command: /start.sh`)
    ...m.scripts.map((x) => x.source),
    // (a compose service running its image's own command: the service's environment is the process's)
    ...m.invocations.flatMap((i) =>
      (m.starters.get(i.source) ?? []).flatMap((st) => (st.envSource && st.production ? [st.envSource] : [])),
    ),
  ];
  for (const s of sources) {
    if (!s.production) continue;
    const what = s.unreadEnv?.find((u) => unreadMayHold(u, variable));
    if (what) return { label: s.label, what };
  }
  // (a chart the repository does not hold deploying the app: its templates give it its environment)
  // (nor a program generating production's manifests: the deployment it generates gives it its environment)
  return chartEnvironments(m, module)[0] ?? generatedEnvironments(m)[0];
}

/**
 * The link of a finding about a process whose environment nothing in the repository gives (an
 * image's command or its start script that no compose service, workload, Procfile or unit runs: a
 * deployment kept elsewhere runs it): what it says of `variable` holds unless that deployment sets
 * it. `what`: what nothing runs ("the image Dockerfile builds", "deploy/start.sh"); `image`: whether
 * it is an image.
 */
export function unseenRunnerLink(variable: string, what: string, image: boolean): BasisLink {
  const runner = image ? 'the deployment that runs the image' : `what runs ${what}`;
  return {
    kind: 'value',
    subject: variable,
    state: 'overridable',
    how: `nothing in the repository runs ${what} (no compose service, workload, Procfile or unit): ${runner} gives it its environment, which the repository does not show`,
    clause: `unless ${runner} sets ${variable}`,
  };
}

/**
 * The link of a finding about how the settings read `variable` (bool() of its text, a string where
 * a list is meant): the claim holds whatever the variable is set to.
 */
export function readingLink(variable: string): BasisLink {
  return { kind: 'value', subject: variable, state: 'known', how: `how the settings read ${variable}, whatever it is set to` };
}

/**
 * The link of a finding whose place is not the setting it compares (an nginx line checked against
 * ALLOWED_HOSTS): a value as written unless overridden (an environment default, an optional override
 * file) lowers it as the engine lowers a finding on the value itself; a known value adds nothing.
 */
export function settingLink(
  setting: string,
  answer: { readonly state: string; readonly overriddenBy?: readonly Override[] },
): BasisLink | undefined {
  if (answer.state !== 'overridable' || !answer.overriddenBy?.length) return undefined;
  const first = answer.overriddenBy[0]!;
  const names = [...new Set(answer.overriddenBy.map((o) => o.name))].join(', ');
  return first.kind === 'variable'
    ? {
        kind: 'value',
        subject: setting,
        state: 'overridable',
        how: `${setting} is the default used when ${names} is not set`,
        clause: `unless ${names} is set where it runs`,
      }
    : {
        kind: 'value',
        subject: setting,
        state: 'overridable',
        how: `${setting} is as written unless ${names} overrides it`,
        clause: `unless ${names} overrides it where it runs`,
      };
}

/**
 * A value bound in the branch that DEBUG's environment default selects (`if DEBUG and not
 * SECRET_KEY: SECRET_KEY = "xxx"`, DEBUG read with a default of True): production has it only while
 * DEBUG stays on, which is DEBUG's own finding (DDH108). The variable behind DEBUG and the link that
 * says the value is as written unless the variables are set; undefined for any other value.
 */
export function debugBranch(
  ctx: RuleContext,
  setting: string,
  answer: { readonly state: string; readonly overriddenBy?: readonly Override[] },
): { readonly variable: string; readonly link: BasisLink } | undefined {
  if (answer.state !== 'overridable' || !answer.overriddenBy?.length) return undefined;
  const debugVars = new Set((ctx.settings.get('DEBUG').value.env ?? []).map((e) => e.name));
  const variable = answer.overriddenBy.find((o) => o.kind === 'variable' && debugVars.has(o.name))?.name;
  if (!variable) return undefined;
  const names = [...new Set(answer.overriddenBy.map((o) => o.name))];
  return {
    variable,
    link: {
      kind: 'value',
      subject: setting,
      state: 'overridable',
      how: `${setting} is as written only in the branch taken when ${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} not set`,
      clause: `unless ${names.join(' or ')} is set where it runs`,
    },
  };
}

/** A fail-closed guard of the settings (rules/startupGuard.ts) that refuses the written default: said by the message. */
export function guardLink(guard: StartupGuard, setting: string): BasisLink {
  return {
    kind: 'value',
    subject: setting,
    state: 'overridable',
    how: `${guard.where} raises when ${setting} is its written default${guard.debugOff ? ' and DEBUG is off' : ''}, so production cannot start with it`,
    said: true,
  };
}
