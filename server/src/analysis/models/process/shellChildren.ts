// Which process a container's stop signal reaches when a shell script starts the app server: the
// server a script starts as its last command without `exec` is the shell's child (dash and bash fork
// it and wait, catalogue/shellSignals.ts), so the signal goes to the shell; and the containers that
// run each such script, with the init in front of it that signals the whole process group (dumb-init, `tini -g`) if any.
import * as path from 'node:path';
import {
  CONTAINER_INITS,
  DOCKER_SHELL_FORM,
  GROUP_SIGNALLING_INITS,
  SH_C_LAST_COMMAND,
  SIGNAL_FORWARDING_TRAP,
  imageSh,
} from '../../catalogue/shellSignals';
import { finalStage, stageChain, type Dockerfile } from '../../readers/container/dockerfile';
import { basename, recognise } from '../../readers/process/commands';
import { retokenize, tokenize, type SimpleCommand } from '../../readers/shell';
import type { Token } from '../../readers/text';
import type { Collected } from './collect';
import type { ProcessSource, ScriptContainer, ShellChild } from './model';
import type { ResolvedScript } from './starters';
import { exclusive } from './branch';
import { composeDir } from '../../readers/container/compose';

/** The signal names a `trap` command sets a handler for (its arguments after the action). */
function trapsTerm(c: SimpleCommand): boolean {
  if (c.words[0]?.text !== 'trap' || c.words.length < 3) return false;
  // `trap - TERM` and `trap '' TERM` reset or ignore it: no handler forwards anything
  const action = c.words[1]!.text;
  if (action === '-' || action === '') return false;
  return c.words.slice(2).some((w) => SIGNAL_FORWARDING_TRAP.has(w.text.toUpperCase()));
}

/**
 * The app servers, supervisord and celery workers and beat a script's commands start as the script's last command, directly
 * (not through `sh -c`), without `exec`, not in a pipeline, a subshell, a loop, a function or the
 * background.
 */
export function shellChildren(commands: readonly SimpleCommand[], source: ProcessSource): ShellChild[] {
  const trap = commands.find(trapsTerm)?.words[0]?.loc;
  const out: ShellChild[] = [];
  commands.forEach((c, k) => {
    if (c.background || c.subshell || c.loop || c.inFunction || c.words.length === 0) return;
    const next = commands[k + 1];
    if (c.after === '|' || next?.after === '|') return;
    // nothing runs after it: every later command is in another branch of an `if` it is in (or a function's body)
    if (commands.slice(k + 1).some((d) => !d.inFunction && !exclusive(c, d))) return;
    const rec = recognise(c);
    const found: { program: string; token: Token }[] = [
      // (Django's development server is another rule's finding)
      ...rec.invocations.filter((i) => i.server !== 'runserver').map((i) => ({ program: i.server, token: i.program })),
      ...rec.scripts.filter((s) => s.supervisord).map((s) => ({ program: 'supervisord', token: s.script })),
      // a celery worker's warm shutdown (finish the tasks under way) starts on SIGTERM too; beat keeps its schedule file
      ...rec.tasks
        .filter((t) => t.kind === 'celery' && (t.subcommand?.text === 'worker' || t.subcommand?.text === 'beat'))
        .map((t) => ({ program: `celery ${t.subcommand!.text}`, token: t.program })),
    ];
    for (const f of found) {
      const at = c.words.indexOf(f.token);
      // (a program inside `sh -c "…"` or after a start script is not this command's own)
      if (at < 0) continue;
      if (c.words.slice(0, at).some((w) => !w.quoted && w.text === 'exec')) continue;
      out.push({
        source,
        program: f.program,
        programToken: f.token,
        first: c.words[0]!,
        conditional: c.conditional,
        ...(trap ? { trap } : {}),
      });
    }
  });
  return out;
}

const MAX_DEPTH = 6;
const INITS = new Set(CONTAINER_INITS);

/** A container running a shell's text as its main process, as the inline children say it. */
export type InlineContainer = Omit<ScriptContainer, 'via'>;

/**
 * The servers a shell's text starts as its last command without `exec` (shellChildren), when the
 * shell that runs the text forks its last command (dash): a shell-form CMD's text, or the text of
 * a `sh -c "…"` that a container runs as its main process.
 */
export function inlineShellChildren(
  commands: readonly SimpleCommand[],
  source: ProcessSource,
  shell: string | undefined,
  how: string,
  container: InlineContainer,
): ShellChild[] {
  if (shell !== 'dash' || !SH_C_LAST_COMMAND.dash.child) return [];
  return shellChildren(commands, source).map((c) => ({ ...c, inline: { shell, how, container: { ...container, via: [] } } }));
}

/**
 * The text and the shell of a command line that is a shell given its commands as text (`sh -c
 * "…"`, `/bin/dash -c "…"`); `sh` is the image's /bin/sh (`imageShell`). Undefined for anything else
 * (a script file, a program, a text held in a variable).
 */
export function shellText(
  words: readonly Token[],
  imageShell: string | undefined,
  lookup?: (name: string) => string | undefined,
): { commands: SimpleCommand[]; shell: string | undefined; how: string } | undefined {
  const first = words[0];
  if (!first || first.dynamic) return undefined;
  const base = basename(first.text);
  if (base !== 'sh' && base !== 'dash' && base !== 'bash') return undefined;
  for (let k = 1; k < words.length; k++) {
    const t = words[k]!.text;
    if (/^-[abd-zA-Z]*c[a-zA-Z]*$/.test(t)) {
      const script = words[k + 1];
      if (!script || (script.dynamic && script.text.startsWith('$'))) return undefined;
      return { commands: retokenize(script, lookup), shell: base === 'sh' ? imageShell : base, how: `${first.text} ${t}` };
    }
    if (!t.startsWith('-') && !t.startsWith('+')) return undefined;
  }
  return undefined;
}

/** The shell /bin/sh is in the image a Dockerfile builds: its first stage's base image's (catalogue IMAGE_SH). */
export function dockerfileSh(d: Dockerfile): string | undefined {
  const chain = stageChain(d);
  const root = chain[chain.length - 1];
  return root ? imageSh(root.base) : undefined;
}

/**
 * The shell that runs a Dockerfile's shell-form CMD or ENTRYPOINT: `/bin/sh` (the image's), unless a
 * SHELL instruction of its stages names another (its program's name then: bash, dash, powershell).
 */
export function dockerShellFormShell(d: Dockerfile): string | undefined {
  const chain = stageChain(d);
  const shellInstr = chain
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'SHELL')
    .sort((a, b) => b.keywordLoc.start - a.keywordLoc.start)[0];
  const program = shellInstr ? /^\s*\[\s*"([^"]+)"/.exec(shellInstr.args.text)?.[1] : DOCKER_SHELL_FORM.value[0];
  if (!program) return undefined;
  const base = basename(program);
  return base === 'sh' ? dockerfileSh(d) : base;
}

/** The init an image's ENTRYPOINT runs as PID 1 in front of its command, and whether it signals the whole process group. */
function imageInit(r: Collected, dockerfile: string): { init: string; group: boolean } | undefined {
  const d = r.dockerfiles.find((x) => x.file === dockerfile);
  const last = d ? finalStage(d) : undefined;
  const items = last?.entrypoint?.form === 'exec' ? (last.entrypoint.items ?? []) : [];
  const first = items[0];
  const name = first ? basename(first.text) : '';
  if (!INITS.has(name)) return undefined;
  const known = GROUP_SIGNALLING_INITS.find((i) => i.program === name);
  const group =
    known !== undefined &&
    !(known.unless && items.some((w) => known.unless!.includes(w.text))) &&
    !(known.option && !items.some((w) => w.text === known.option));
  return { init: group && known?.option ? `${name} ${known.option}` : name, group };
}

/** A compose service's `command:` keeps the ENTRYPOINT of the image it builds (unless it sets `entrypoint:`): that image's init. */
function composeImageInit(r: Collected, src: ProcessSource): { init: string; group: boolean } | undefined {
  const c = r.compose.find((x) => x.file === src.file);
  const s = c?.services.find((x) => x.name === src.service);
  if (!c || !s?.build || s.entrypoint) return undefined;
  return imageInit(r, path.resolve(composeDir(c), s.build.context, s.build.dockerfile));
}

/**
 * The containers that run a script (keyed by its file): the images whose ENTRYPOINT/CMD runs it,
 * the compose services and Kubernetes containers whose command runs it, through the scripts that
 * run it (an entrypoint that runs `/start`, with or without `exec`: either way a shell is PID 1).
 */
export function scriptContainers(
  r: Collected,
  scripts: readonly ResolvedScript[],
  files: readonly string[],
): Map<string, ScriptContainer[]> {
  const out = new Map<string, ScriptContainer[]>();
  for (const file of new Set(files)) {
    const found: ScriptContainer[] = [];
    const seen = new Set<string>([file]);
    let level: { file: string; via: string[] }[] = [{ file, via: [] }];
    for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
      const next: typeof level = [];
      for (const { file: f, via } of level)
        for (const s of scripts) {
          if (s.ref.make || s.ref.npmScript || s.ref.supervisord) continue;
          // a reference resolved to no workspace file is this script when it names it (as starters.ts reads it)
          if (s.file ? s.file !== f : basename(s.ref.script.text) !== path.basename(f)) continue;
          const how = [`runs ${s.ref.script.text}`, ...via];
          const src = s.source;
          if (src.kind === 'shell') {
            if (!seen.has(src.file)) {
              seen.add(src.file);
              next.push({ file: src.file, via: how });
            }
            continue;
          }
          const kind = src.kind === 'dockerfile' || src.kind === 'compose' || src.kind === 'kubernetes' ? src.kind : undefined;
          if (!kind || found.some((x) => x.file === src.file && x.label === src.label)) continue;
          const init = kind === 'dockerfile' ? imageInit(r, src.file) : kind === 'compose' ? composeImageInit(r, src) : undefined;
          found.push({
            label: src.label,
            file: src.file,
            kind,
            production: src.production,
            via: how,
            ...(init?.group ? { init: init.init } : init ? { initAlone: init.init } : {}),
          });
        }
      level = next;
    }
    out.set(file, found);
  }
  return out;
}

// ---- a shell's text as a container's main process ----------------------------------------------

/** An init's result as the container says it: `init` when it signals the group, `initAlone` when only its child. */
function initFields(init: { init: string; group: boolean } | undefined): Pick<ScriptContainer, 'init' | 'initAlone'> {
  return init?.group ? { init: init.init } : init ? { initAlone: init.init } : {};
}

/** An exec-form command's words after the init in front of them (`tini -g -- sh -c …` → `sh -c …`), or as they are. */
function afterInit(words: readonly Token[]): Token[] {
  if (!INITS.has(basename(words[0]?.text ?? ''))) return [...words];
  let k = 1;
  while (k < words.length && words[k]!.text.startsWith('-')) {
    if (words[k]!.text === '--') return words.slice(k + 1);
    k++;
  }
  return words.slice(k);
}

/**
 * A Dockerfile's shell children in the text its image runs as the main process: a shell-form CMD or
 * ENTRYPOINT (`/bin/sh -c "…"`, or the SHELL instruction's shell), or an exec form `["sh", "-c",
 * "…"]`, behind an init or nothing (an entrypoint script in front is PID 1 itself).
 */
export function dockerfileInlineChildren(
  r: Collected,
  d: Dockerfile,
  source: ProcessSource,
  lookup: (name: string) => string | undefined,
): ShellChild[] {
  const stage = finalStage(d);
  if (!stage) return [];
  const ep = stage.entrypoint;
  const cmd = stage.cmd;
  const container: InlineContainer = { label: source.label, file: d.file, kind: 'dockerfile', production: source.production };
  const shellForm = (c: NonNullable<typeof cmd>, init?: { init: string; group: boolean }): ShellChild[] =>
    c.text
      ? inlineShellChildren(tokenize(c.text, { lookup }), source, dockerShellFormShell(d), `shell-form ${c.instruction.keyword}`, {
          ...container,
          ...initFields(init),
        })
      : [];
  if (ep?.form === 'shell') return shellForm(ep);
  const epItems = ep?.form === 'exec' ? (ep.items ?? []) : [];
  const init = imageInit(r, d.file);
  // an entrypoint other than an init runs first and is PID 1 itself
  if (epItems.length > 0 && !INITS.has(basename(epItems[0]!.text))) return [];
  if (cmd?.form === 'shell') return shellForm(cmd, init);
  const words = afterInit([...epItems, ...(cmd?.form === 'exec' ? (cmd.items ?? []) : [])]);
  const t = shellText(words, dockerfileSh(d), lookup);
  return t ? inlineShellChildren(t.commands, source, t.shell, t.how, { ...container, ...initFields(init) }) : [];
}

/**
 * A compose service's shell children in a `sh -c "…"` it runs as the container's main process: its
 * `entrypoint:` (with its command), or its `command:` where the image has no ENTRYPOINT but an init.
 * /bin/sh is the shell of the image it builds or names.
 */
export function composeInlineChildren(
  r: Collected,
  service: { readonly command?: Token[]; readonly entrypoint?: Token[]; readonly image?: string },
  dockerfile: Dockerfile | undefined,
  source: ProcessSource,
  lookup: (name: string) => string | undefined,
): ShellChild[] {
  const stage = dockerfile ? finalStage(dockerfile) : undefined;
  let words: Token[];
  let init: { init: string; group: boolean } | undefined;
  if (service.entrypoint) words = afterInit([...service.entrypoint, ...(service.command ?? [])]);
  else if (service.command) {
    const ep = stage?.entrypoint;
    if (ep && !(ep.form === 'exec' && INITS.has(basename(ep.items?.[0]?.text ?? '')))) return [];
    init = composeImageInit(r, source);
    words = [...service.command];
  } else return [];
  const sh = dockerfile ? dockerfileSh(dockerfile) : service.image ? imageSh(service.image) : undefined;
  const t = shellText(words, sh, lookup);
  const container: InlineContainer = {
    label: source.label,
    file: source.file,
    kind: 'compose',
    production: source.production,
    ...initFields(init),
  };
  return t ? inlineShellChildren(t.commands, source, t.shell, t.how, container) : [];
}

/** A Kubernetes container's shell children in a `sh -c "…"` command (its command replaces the image's ENTRYPOINT). */
export function manifestInlineChildren(
  words: readonly Token[],
  image: string | undefined,
  source: ProcessSource,
  lookup: (name: string) => string | undefined,
): ShellChild[] {
  const t = shellText(afterInit(words), image ? imageSh(image) : undefined, lookup);
  const container: InlineContainer = { label: source.label, file: source.file, kind: 'kubernetes', production: source.production };
  return t ? inlineShellChildren(t.commands, source, t.shell, t.how, container) : [];
}
