// Which process a container's stop signal reaches when a shell script starts the app server: the
// server a script starts as its last command without `exec` is the shell's child (dash and bash fork
// it and wait, catalogue/shellSignals.ts), so the signal goes to the shell; and the containers that
// run each such script, with the init in front of it that signals the whole process group (dumb-init, `tini -g`) if any.
import * as path from 'node:path';
import { CONTAINER_INITS, GROUP_SIGNALLING_INITS, SIGNAL_FORWARDING_TRAP } from '../../catalogue/shellSignals';
import { finalStage } from '../../readers/container/dockerfile';
import { basename, recognise } from '../../readers/process/commands';
import type { SimpleCommand } from '../../readers/shell';
import type { Token } from '../../readers/text';
import type { Collected } from './collect';
import type { ProcessSource, ScriptContainer, ShellChild } from './model';
import type { ResolvedScript } from './starters';

/** Two commands in different branches of one `if` (only one of them runs). */
function exclusive(a: SimpleCommand, b: SimpleCommand): boolean {
  const x = a.branch ?? [];
  const y = b.branch ?? [];
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    const tx = x[k]!;
    const ty = y[k]!;
    const same =
      tx.words.length > 0 &&
      tx.words.length === ty.words.length &&
      tx.words.every((w, i) => w.loc.start === ty.words[i]!.loc.start && w.loc.file === ty.words[i]!.loc.file);
    if (!same) return false;
    if (tx.when !== ty.when) return true;
  }
  return false;
}

/** The signal names a `trap` command sets a handler for (its arguments after the action). */
function trapsTerm(c: SimpleCommand): boolean {
  if (c.words[0]?.text !== 'trap' || c.words.length < 3) return false;
  // `trap - TERM` and `trap '' TERM` reset or ignore it: no handler forwards anything
  const action = c.words[1]!.text;
  if (action === '-' || action === '') return false;
  return c.words.slice(2).some((w) => SIGNAL_FORWARDING_TRAP.has(w.text.toUpperCase()));
}

/**
 * The app servers and supervisord a script's commands start as the script's last command, directly
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
  return imageInit(r, path.resolve(path.dirname(c.file), s.build.context, s.build.dockerfile));
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
