// Dockerfiles: instructions with `\` continuations (comment lines inside them are dropped, as
// Docker does), parser directives (`# escape=``), heredocs, and build stages. What a container
// runs is the ENTRYPOINT/CMD of the last stage (inherited from the stage it is built FROM when it
// sets none), in exec form (a JSON array, no shell) or shell form (run by `/bin/sh -c`), with the
// WORKDIR and ENV of that stage.
import * as path from 'node:path';
import { splitWords } from '../shell';
import { COPY_ABSOLUTE_SOURCE_IN_CONTEXT, DOCKERFILE_LOWER_CASE } from '../../catalogue/dockerBuild';
import { MappedBuilder, MappedText, literalToken, memoByText, type Token } from '../text';
import type { Loc } from '../../eval/values';

export interface DockerInstruction {
  /** Upper-case keyword. */
  readonly keyword: string;
  readonly keywordLoc: Loc;
  /** The arguments, continuation lines joined, mapped to the file. */
  readonly args: MappedText;
}

export interface DockerCommand {
  readonly instruction: DockerInstruction;
  readonly form: 'exec' | 'shell';
  /** Exec form: the array items. */
  readonly items?: Token[];
  /** Shell form: the text given to `/bin/sh -c`. */
  readonly text?: MappedText;
}

export interface DockerEnvValue {
  readonly value: string;
  readonly token: Token;
  readonly nameLoc: Loc;
  /**
   * Legacy form (`ENV KEY value`) whose value reads as more variables (`ENV A 1 \` then `B 2` on
   * the next line, or `ENV A B=2`): the names it seems meant to set, which Docker leaves unset (the
   * whole rest of the instruction is A's value).
   */
  readonly swallowed?: readonly string[];
}

/** An upper-case variable name starting a continuation line (`  PYTHONUNBUFFERED 1 \`). */
const CONTINUED_NAME = /^([A-Z_][A-Z0-9_]*)(?:=|[ \t]+\S)/;
/** An upper-case `NAME=` word inside a legacy value (Docker's own example: `ENV ONE TWO= THREE=world`). */
const ASSIGNED_NAME = /^([A-Z_][A-Z0-9_]*)=/;

/** The names a legacy ENV's value seems meant to set (DockerEnvValue.swallowed). */
function swallowedNames(text: string, rest: MappedText): string[] {
  const names = new Set<string>();
  const loc = rest.loc(0, rest.length);
  const lines = text.slice(loc.start, loc.end).split('\n');
  for (const line of lines.slice(1)) {
    const t = line.trimStart();
    if (t.startsWith('#')) continue;
    const m = CONTINUED_NAME.exec(t);
    if (m) names.add(m[1]!);
  }
  for (const w of rest.text.split(/[ \t]+/)) {
    const m = ASSIGNED_NAME.exec(w);
    if (m) names.add(m[1]!);
  }
  return [...names];
}

export interface DockerCopy {
  readonly sources: string[];
  readonly dest: string;
  readonly from?: string;
  /** Where each source is written, in the order of `sources`. */
  readonly sourceLocs?: readonly Loc[];
  /** COPY or ADD. */
  readonly keyword?: string;
}

export interface DockerStage {
  readonly index: number;
  readonly name?: string;
  readonly base: string;
  readonly baseLoc: Loc;
  readonly instructions: DockerInstruction[];
  /** The container's working directory when the command starts (absolute, container path). */
  workdir?: string;
  readonly env: Map<string, DockerEnvValue>;
  cmd?: DockerCommand;
  entrypoint?: DockerCommand;
  readonly copies: DockerCopy[];
  /** Ports it EXPOSEs. */
  readonly expose: string[];
  /**
   * The build arguments in scope with the default the Dockerfile gives them (`ARG BUILD_ENVIRONMENT=production`,
   * or a global `ARG X=1` before the first FROM redeclared by `ARG X` in the stage): the value a build that
   * passes no `--build-arg` for them uses.
   */
  readonly args?: ReadonlyMap<string, string>;
}

export interface Dockerfile {
  readonly file: string;
  readonly stages: DockerStage[];
}

/** Parses the instructions of a Dockerfile. */
export function parseInstructions(file: string, text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const lines: { start: number; text: string }[] = [];
  let off = 0;
  for (const raw of text.split('\n')) {
    lines.push({ start: off, text: raw.replace(/\r$/, '') });
    off += raw.length + 1;
  }
  let escapeChar = '\\';
  let i = 0;
  // parser directives: `# name=value` lines at the very top
  for (; i < lines.length; i++) {
    const d = /^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]!.text);
    if (!d) break;
    if (d[1]!.toLowerCase() === 'escape' && (d[2] === '`' || d[2] === '\\')) escapeChar = d[2];
  }
  const endsWithEscape = (s: string): boolean => {
    const t = s.replace(/(?<![ \t])[ \t]+$/, '');
    return t.endsWith(escapeChar) && !t.endsWith(escapeChar + escapeChar);
  };
  while (i < lines.length) {
    const line = lines[i]!;
    const trimmed = line.text.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const lead = line.text.length - trimmed.length;
    const kw = /^[A-Za-z]+/.exec(trimmed)?.[0] ?? '';
    const b = new MappedBuilder(file, line.start + lead + kw.length);
    let argStart = lead + kw.length;
    while (argStart < line.text.length && (line.text[argStart] === ' ' || line.text[argStart] === '\t')) argStart++;
    let cur = line;
    let from = argStart;
    let heredocs: string[] = [];
    for (;;) {
      const body = cur.text.slice(from);
      const cont = endsWithEscape(cur.text);
      const content = cont ? body.replace(/(?<![ \t])[ \t]+$/, '').slice(0, -1) : body;
      for (let k = 0; k < content.length; k++) b.push(content[k]!, cur.start + from + k, cur.start + from + k + 1);
      for (const h of content.matchAll(/<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)) heredocs.push(h[1]!);
      i++;
      if (!cont) break;
      // skip comment and blank lines inside the continuation
      while (i < lines.length && (lines[i]!.text.trim() === '' || lines[i]!.text.trimStart().startsWith('#'))) i++;
      if (i >= lines.length) break;
      cur = lines[i]!;
      from = 0;
      b.push('\n', cur.start, cur.start);
    }
    // heredoc bodies (RUN <<EOF … EOF) are not instructions
    if (heredocs.length > 0 && /^(RUN|COPY|ADD)$/i.test(kw)) {
      for (const h of heredocs) {
        while (i < lines.length && lines[i]!.text.replace(/^\t+/, '') !== h) i++;
        i++;
      }
      heredocs = [];
    }
    // continuation joins lines without the newline in Docker; keep one space where the escape was
    const args = b.build();
    const joined = new MappedText(file, args.text.replace(/\n/g, ' '), args.starts, args.ends, args.at);
    out.push({
      keyword: kw.toUpperCase(),
      keywordLoc: { file, start: line.start + lead, end: line.start + lead + kw.length },
      args: joined,
    });
  }
  return out;
}

/**
 * Parses a JSON array of strings (exec form) with each item mapped to the file; undefined when the
 * text is not one. A trailing `# comment` is tolerated (Docker itself would fall back to shell
 * form; the comment is almost always meant as one, e.g. `# noqa`).
 */
export function parseJsonArray(m: MappedText): Token[] | undefined {
  const s = m.text;
  let i = 0;
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  ws();
  if (s[i] !== '[') return undefined;
  i++;
  const items: Token[] = [];
  ws();
  if (s[i] === ']') i++;
  else {
    for (;;) {
      ws();
      if (s[i] !== '"') return undefined;
      const start = i;
      i++;
      const b = new MappedBuilder(m.file, m.starts[i] ?? m.at);
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') {
          const e = s[i + 1];
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e !== undefined && simple[e] !== undefined) {
            b.push(simple[e]!, m.starts[i]!, m.ends[i + 1]!);
            i += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
            b.push(String.fromCharCode(Number.parseInt(s.slice(i + 2, i + 6), 16)), m.starts[i]!, m.ends[i + 5]!);
            i += 6;
          } else return undefined;
        } else {
          b.pushMapped(m, i, i + 1);
          i++;
        }
      }
      if (s[i] !== '"') return undefined;
      i++;
      items.push(literalToken(b.build(), m.loc(start, i), true));
      ws();
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === ']') {
        i++;
        break;
      }
      return undefined;
    }
  }
  ws();
  if (i < s.length && s[i] !== '#') return undefined;
  return items;
}

function commandOf(ins: DockerInstruction): DockerCommand {
  const items = parseJsonArray(ins.args);
  if (items) return { instruction: ins, form: 'exec', items };
  return { instruction: ins, form: 'shell', text: ins.args };
}

/** A container folder `dir` resolved from the working folder `base` (`/` when none), `..` and `.` removed. */
export function resolveDir(base: string | undefined, dir: string): string {
  const parts = (dir.startsWith('/') ? dir : `${base ?? '/'}/${dir}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

/** Parses a Dockerfile into its stages (each text once: the result is shared, see memoByText). */
export const parseDockerfile = memoByText(readDockerfile);

function readDockerfile(file: string, text: string): Dockerfile {
  const stages: DockerStage[] = [];
  const globalArgs = new Map<string, string>();
  let stage: DockerStage | undefined;
  let args = new Map<string, string>();
  for (const ins of parseInstructions(file, text)) {
    const lookup = (name: string): string | undefined => stage?.env.get(name)?.value ?? args.get(name) ?? globalArgs.get(name);
    if (ins.keyword === 'FROM') {
      const words = splitWords(ins.args, 'split', (n) => globalArgs.get(n)).filter((w) => !w.text.startsWith('--'));
      const base = words[0]?.text ?? '';
      const asIdx = words.findIndex((w) => w.text.toLowerCase() === 'as');
      const name = asIdx >= 0 ? words[asIdx + 1]?.text : undefined;
      const parent = stages.find((s) => s.name !== undefined && s.name.toLowerCase() === base.toLowerCase());
      stage = {
        index: stages.length,
        name,
        base,
        baseLoc: words[0]?.loc ?? ins.keywordLoc,
        instructions: [],
        workdir: parent?.workdir,
        env: new Map(parent?.env ?? []),
        cmd: parent?.cmd,
        entrypoint: parent?.entrypoint,
        copies: [...(parent?.copies ?? [])],
        expose: [...(parent?.expose ?? [])],
        args: (args = new Map()),
      };
      stages.push(stage);
      continue;
    }
    if (!stage) {
      if (ins.keyword === 'ARG') for (const w of splitWords(ins.args, 'split')) addArg(globalArgs, w.text);
      continue;
    }
    stage.instructions.push(ins);
    switch (ins.keyword) {
      case 'ARG':
        for (const w of splitWords(ins.args, 'split', lookup)) {
          addArg(args, w.text);
          // `ARG X` without a default takes the global ARG's (declared before the first FROM)
          const g = w.text.includes('=') ? undefined : globalArgs.get(w.text);
          if (g !== undefined && !args.has(w.text)) args.set(w.text, g);
        }
        break;
      case 'ENV': {
        const words = splitWords(ins.args, 'split', lookup);
        if (words.length > 0 && !words[0]!.text.includes('=')) {
          // legacy `ENV KEY value with spaces`: the value is the rest of the line
          const key = words[0]!;
          const t = ins.args.text;
          let k = t.search(/\S/) + key.loc.end - key.loc.start;
          while (k < t.length && /\s/.test(t[k]!)) k++;
          const rest = ins.args.sub(k, t.trimEnd().length);
          // read as a word as Docker reads it: quotes removed (`ENV DEBUG 'False'` is False), variables
          // substituted (`ENV gunicorn ${gunicorn}` of an ARG without a default: not known)
          const expanded = rest.text.includes('$') || /['"\\]/.test(rest.text) ? splitWords(rest, 'split', lookup) : undefined;
          const dynamic = expanded?.some((w) => w.dynamic) ?? false;
          const swallowed = rest.length > 0 ? swallowedNames(text, rest) : [];
          if (expanded?.length === 1 && !dynamic)
            stage.env.set(key.text, { value: expanded[0]!.text, token: expanded[0]!, nameLoc: key.loc });
          else if (rest.length > 0)
            stage.env.set(key.text, {
              value: rest.text,
              token: { ...literalToken(rest, rest.loc(0, rest.length), false), ...(dynamic ? { dynamic: true } : {}) },
              nameLoc: key.loc,
              ...(swallowed.length > 0 ? { swallowed } : {}),
            });
        } else {
          for (const w of words) {
            const eq = w.text.indexOf('=');
            if (eq <= 0) continue;
            const name = w.text.slice(0, eq);
            const map = w.map.sub(eq + 1, w.text.length);
            const valueLoc = map.length > 0 ? map.loc(0, map.length) : { file, start: w.loc.end, end: w.loc.end };
            stage.env.set(name, {
              value: map.text,
              token: { text: map.text, loc: valueLoc, map, quoted: w.quoted, env: w.env, dynamic: w.dynamic },
              nameLoc: w.map.loc(0, eq),
            });
          }
        }
        break;
      }
      case 'WORKDIR': {
        const w = splitWords(ins.args, 'split', lookup)[0];
        if (w) stage.workdir = resolveDir(stage.workdir, w.text);
        break;
      }
      case 'CMD':
        stage.cmd = commandOf(ins);
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = commandOf(ins);
        // an ENTRYPOINT resets the CMD inherited from the base
        if (stage.cmd && !stage.instructions.some((x) => x.keyword === 'CMD')) stage.cmd = undefined;
        break;
      case 'COPY':
      case 'ADD': {
        const json = parseJsonArray(ins.args);
        const words = json ?? splitWords(ins.args, 'split', lookup);
        const fromFlag = words.find((w) => w.text.startsWith('--from='))?.text.slice(7);
        const pathWords = words.filter((w) => !w.text.startsWith('--'));
        const paths = pathWords.map((w) => w.text);
        if (paths.length >= 2) {
          const dest = paths[paths.length - 1]!;
          const resolved = dest.startsWith('/') ? dest : resolveDir(stage.workdir, dest);
          // a folder: written with a trailing `/`, `.` (the working folder, which WORKDIR made), or several sources
          const folder =
            !resolved.endsWith('/') &&
            (dest.endsWith('/') ||
              dest === '.' ||
              dest === '..' ||
              paths.length > 2 ||
              (stage.workdir !== undefined && resolved === stage.workdir));
          stage.copies.push({
            sources: paths.slice(0, -1),
            dest: resolved + (folder ? '/' : ''),
            from: fromFlag,
            sourceLocs: pathWords.slice(0, -1).map((w) => w.loc),
            keyword: ins.keyword,
          });
        }
        break;
      }
      case 'EXPOSE':
        for (const w of splitWords(ins.args, 'split', lookup)) stage.expose.push(w.text);
        break;
      default:
        break;
    }
  }
  return { file, stages };
}

function addArg(map: Map<string, string>, word: string): void {
  const eq = word.indexOf('=');
  if (eq > 0) map.set(word.slice(0, eq), word.slice(eq + 1));
}

/** The stage a plain `docker build` produces: the last one. */
export function finalStage(d: Dockerfile): DockerStage | undefined {
  return d.stages[d.stages.length - 1];
}

/**
 * The stage `docker build --target NAME` (compose's `build.target`) builds: the stage of that name
 * (stage names are case-insensitive), else the last stage without a target; undefined when no stage
 * has that name (the build fails).
 */
export function targetStage(d: Dockerfile, target: string | undefined): DockerStage | undefined {
  if (target === undefined) return finalStage(d);
  const t = target.toLowerCase();
  return d.stages.find((s) => s.name?.toLowerCase() === t);
}

/** Whether `target` names the last stage of `d` (or is undefined): the image a plain `docker build` makes. */
export function isFinalTarget(d: Dockerfile | undefined, target: string | undefined): boolean {
  if (target === undefined) return true;
  const last = d ? finalStage(d) : undefined;
  return last?.name !== undefined && last.name.toLowerCase() === target.toLowerCase();
}

/** The words of an ENTRYPOINT or CMD as written: an exec form's items, a shell form's text split at blanks. */
export function commandWords(c: DockerCommand | undefined): string[] {
  return c?.items ? c.items.map((t) => t.text) : (c?.text?.text ?? '').split(/\s+/);
}

/** The last stage (or `from`) and the stages it is built on (FROM an earlier stage's name), last first. */
export function stageChain(d: Dockerfile, from: DockerStage | undefined = finalStage(d)): DockerStage[] {
  const out: DockerStage[] = [];
  let s = from;
  while (s && out.length < 20 && !out.includes(s)) {
    out.push(s);
    const base = s.base.toLowerCase();
    s = d.stages.find((x) => x.index < s!.index && x.name?.toLowerCase() === base);
  }
  return out;
}

/**
 * The file of the build context a COPY/ADD source names: relative to the context's root, an
 * absolute source too (`COPY /deploy/nginx.conf …`: catalogue COPY_ABSOLUTE_SOURCE_IN_CONTEXT).
 */
export function contextSource(context: string, src: string): string {
  return path.resolve(context, COPY_ABSOLUTE_SOURCE_IN_CONTEXT.value ? src.replace(/^\/+/, '') || '.' : src);
}

/**
 * Container path → path of the build context, from COPY/ADD instructions (and bind mounts, as the
 * same pairs): the longest destination that holds the path wins. A source that is a folder
 * (`isDir`) is copied into the destination; a file is copied to it, or into it when it ends in `/`.
 * COPY --from (another stage or image) maps nothing.
 */
export function copyMapper(
  context: string,
  copies: readonly { sources: string[]; dest: string; from?: string }[],
  isDir: (abs: string) => boolean,
  volumes: readonly { host: string; container: string }[] = [],
): (p: string) => string | undefined {
  const maps: { dest: string; src: string }[] = [];
  for (const c of copies) {
    if (c.from) continue;
    for (const s of c.sources) {
      const abs = contextSource(context, s);
      if (isDir(abs)) maps.push({ dest: c.dest.replace(/(?<!\/)\/+$/, '') || '/', src: abs });
      else maps.push({ dest: (c.dest.endsWith('/') ? c.dest + path.basename(s) : c.dest).replace(/(?<!\/)\/+$/, ''), src: abs });
    }
  }
  for (const v of volumes) maps.push({ dest: v.container.replace(/(?<!\/)\/+$/, '') || '/', src: v.host });
  maps.sort((a, b) => b.dest.length - a.dest.length);
  return (p: string): string | undefined => {
    const norm = path.posix.normalize(p).replace(/(?<!\/)\/+$/, '') || '/';
    for (const m of maps) {
      if (norm === m.dest) return m.src;
      if (m.dest === '/' ? norm.startsWith('/') : norm.startsWith(m.dest + '/'))
        return path.join(m.src, norm.slice(m.dest === '/' ? 1 : m.dest.length + 1));
    }
    return undefined;
  };
}

/**
 * The build context's files and folders an image holds, as host path → container path pairs: the
 * COPY/ADD instructions of `stage` and the stages it is built on (stageChain), each source resolved
 * from `context` (a folder, `isDir`, copied into the destination; a file to it, or into it when it
 * ends in `/`). COPY --from, a source with a glob or a URL, and a source that is the whole context
 * (`COPY . /srv`: every file of it) are left out. A later instruction wins where they overlap, so
 * the pairs come last instruction first.
 */
export function imageCopies(
  d: Dockerfile,
  stage: DockerStage | undefined,
  context: string,
  isDir: (abs: string) => boolean,
): { host: string; container: string }[] {
  const out: { host: string; container: string }[] = [];
  for (const s of stageChain(d, stage)) {
    for (const c of [...s.copies].reverse()) {
      if (c.from) continue;
      for (const src of c.sources) {
        if (/[*?[]/.test(src) || /^[a-z]+:\/\//i.test(src) || src.includes('$')) continue;
        const host = contextSource(context, src);
        if (host === context) continue;
        const dest = c.dest.replace(/(?<!\/)\/+$/, '') || '/';
        const container = isDir(host) || !c.dest.endsWith('/') ? dest : path.posix.join(dest, path.basename(src));
        out.push({ host, container });
      }
    }
  }
  return out;
}

/**
 * The Dockerfile a build of `file` reads: `file` itself, or the lower-case `dockerfile` beside it when
 * `file` is the default name `Dockerfile`, does not exist, and that one does (catalogue/dockerBuild.ts
 * DOCKERFILE_LOWER_CASE: docker and BuildKit fall back to it).
 */
export function builtDockerfile(exists: (p: string) => boolean, file: string): string {
  if (path.basename(file) !== 'Dockerfile' || exists(file)) return file;
  const lower = path.join(path.dirname(file), DOCKERFILE_LOWER_CASE.value);
  return exists(lower) ? lower : file;
}
