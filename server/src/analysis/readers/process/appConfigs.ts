// App-server and process-manager configuration files: uWSGI (`.ini` with a `[uwsgi]` section, or a
// YAML file with a `uwsgi:` mapping), supervisord (`[program:x]` sections) and Circus
// (`[watcher:x]` with its `[env:x]`).
//
// uWSGI reads its ini files with its own parser, not Python's configparser: a key may be given many
// times (every `env =` line sets one more variable), `;` and `#` start comments, there are no
// continuation lines, and `%(name)`/`$(NAME)`/`@(file)` are its own placeholders (left unknown
// here). supervisord and Circus read theirs with configparser (readers/python/ini.ts). supervisord
// fills in `%(key)s` expressions in a program's command before splitting it into words
// (catalogue/supervisordExpansions.ts): `%(ENV_X)s` is read as the variable X (`${X}`, its value
// where the program's or `[supervisord]`'s `environment=` gives it, else known only at run time),
// `%(here)s` and `%(program_name)s` are filled in, `%%` is a `%`, and any other key is run time's.
import * as path from 'node:path';
import { parseIni } from '../python/ini';
import { splitWords } from '../shell';
import { MappedBuilder, MappedText, literalToken, memoByText, subToken, type Token } from '../text';
import type { AnsibleBinding, AnsibleScope } from '../ansible';
import { printedScalar } from '../ansible';
import {
  type FilledExpression,
  filledMapped,
  isBareExpression,
  itemsLoops,
  type ItemsLoop,
  namedPlaceholder,
  renderedSpan,
  templateAsText,
  templateShown,
} from '../jinja';
import { UWSGI_OPTIONAL_VALUE, UWSGI_SHORT, UWSGI_SWITCHES } from '../../catalogue/uwsgiOptions';
import { SUPERVISORD_ENV_PREFIX, SUPERVISORD_INLINE_COMMENTS, SUPERVISORD_KEYS } from '../../catalogue/supervisordExpansions';
import {
  fixedInstances,
  keyOnLine,
  lineStarts,
  plainInt,
  spanToken,
  valueOnLine,
  type DeployEnv,
  type DeployFile,
  type DeployProcess,
  type UwsgiConfig,
  type UwsgiOption,
  type Written,
} from '../workload';

export type { UwsgiConfig, UwsgiOption } from '../workload';
import { parseYamlDocuments, yget, yscalar, type YamlMap, type YamlNode, type YamlScalar } from '../yaml';

/** Marks the options inside `if-*` … `endif` and `for` … `endfor` blocks with the block that holds them. */
function withConditions(options: UwsgiOption[]): UwsgiOption[] {
  const open: string[] = [];
  return options.map((o) => {
    if (o.key === 'endif' || o.key === 'endfor') {
      open.pop();
      return o;
    }
    const inside = open.length > 0 ? { ...o, when: open[open.length - 1] } : o;
    if (o.key.startsWith('if-') || o.key === 'for') open.push(`${o.key} = ${o.value.text}`);
    return inside;
  });
}

/** uWSGI's reading of a number (C's atoi: the leading digits, 0 when there are none). */
export function uwsgiInt(text: string): number {
  const m = /^\s*(\d{1,9})/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** uWSGI's reading of a flag's value: off when written 0, false, no or off. */
export function uwsgiFlag(text: string): boolean {
  return !['0', 'false', 'no', 'off'].includes(text.trim().toLowerCase());
}

/** The last value of an option (uWSGI's `-` and `_` are the same in names). */
export function uwsgiOption(c: UwsgiConfig, ...keys: string[]): UwsgiOption | undefined {
  const want = new Set(keys.map((k) => k.replace(/_/g, '-')));
  for (let i = c.options.length - 1; i >= 0; i--) if (want.has(c.options[i]!.key)) return c.options[i];
  return undefined;
}

/**
 * The user a uWSGI instance drops to after binding its sockets (`uid = www-data`): the last `uid`,
 * when it is set outside uWSGI's configuration logic (`if-env` … `endif`) and not by a placeholder.
 */
export function uwsgiUser(c: UwsgiConfig): UwsgiOption | undefined {
  const uid = uwsgiOption(c, 'uid');
  return uid && !uid.when && !uid.value.dynamic && !uid.bare && uid.value.text !== '' ? uid : undefined;
}

function dynamicToken(t: Token): Token {
  return /[%$@]\(/.test(t.text) ? { ...t, dynamic: true } : t;
}

/** The `[uwsgi]` section (or another one: `--ini file.ini:section`) of an ini file, read as uWSGI reads it (undefined when it has none). */
export function readUwsgiIni(file: string, text: string, sectionName = 'uwsgi'): UwsgiConfig | undefined {
  const options: UwsgiOption[] = [];
  let inSection = false;
  let seen = false;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const raw = text.slice(pos, end);
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lead = line.length - line.trimStart().length;
    const body = line.trim();
    if (body.startsWith('[') && body.endsWith(']')) {
      inSection = body.slice(1, -1).trim() === sectionName;
      seen ||= inSection;
    } else if (inSection && body !== '' && !body.startsWith(';') && !body.startsWith('#')) {
      const eq = line.indexOf('=');
      if (eq > lead) {
        const key = line.slice(lead, eq).trim().replace(/_/g, '-');
        let vs = eq + 1;
        while (vs < line.length && (line[vs] === ' ' || line[vs] === '\t')) vs++;
        let ve = line.length;
        while (ve > vs && (line[ve - 1] === ' ' || line[ve - 1] === '\t')) ve--;
        // a value in quotes keeps what is inside
        let quoted = false;
        if (ve - vs >= 2 && (line[vs] === '"' || line[vs] === "'") && line[ve - 1] === line[vs]) {
          vs++;
          ve--;
          quoted = true;
        }
        options.push({
          key,
          value: dynamicToken(spanToken(file, text, pos + vs, pos + ve, quoted)),
          keyLoc: { file, start: pos + lead, end: pos + lead + line.slice(lead, eq).trimEnd().length },
        });
      } else if (body !== '' && lead === 0 && eq < 0) {
        // a bare flag (`master`) is `master = true`
        options.push({
          key: body.replace(/_/g, '-'),
          value: spanToken(file, text, pos + lead, pos + lead + body.length),
          keyLoc: { file, start: pos + lead, end: pos + lead + body.length },
          bare: true,
        });
      }
    }
    pos = end + 1;
  }
  return seen ? { file, options: withConditions(options) } : undefined;
}

/** A YAML file's `uwsgi:` mapping (a key given as a list sets each item). */
export function readUwsgiYaml(file: string, text: string): UwsgiConfig | undefined {
  const doc = parseYamlDocuments(file, text).documents[0];
  const u = yget(doc, 'uwsgi');
  if (u?.kind !== 'map') return undefined;
  const options: UwsgiOption[] = [];
  for (const e of u.entries) {
    const key = e.key.value.replace(/_/g, '-');
    const items =
      e.value?.kind === 'seq'
        ? e.value.items.filter((i): i is YamlScalar => i.kind === 'scalar')
        : yscalar(e.value)
          ? [yscalar(e.value)!]
          : [];
    for (const s of items) options.push({ key, value: dynamicToken(literalToken(s.map, s.loc, s.style !== 'plain')), keyLoc: e.key.loc });
  }
  return { file, options: withConditions(options) };
}

/** The variables a uWSGI configuration's `env = NAME=value` options give the application (the last of each name). */
export function uwsgiEnv(c: UwsgiConfig): Map<string, DeployEnv> {
  const env = new Map<string, DeployEnv>();
  for (const o of c.options) {
    if (o.key !== 'env') continue;
    const eq = o.value.text.indexOf('=');
    if (eq <= 0) continue;
    const name = o.value.text.slice(0, eq);
    const exact = o.value.map.length === o.value.text.length;
    const map = exact ? o.value.map.sub(eq + 1, o.value.text.length) : undefined;
    const token: Token = map
      ? { ...o.value, text: map.text, map, loc: map.length > 0 ? map.loc(0, map.length) : o.value.loc }
      : subToken(o.value, eq + 1, o.value.text.length);
    env.set(name, {
      name,
      value: token.text,
      token,
      nameLoc: exact ? o.value.map.loc(0, eq) : o.value.loc,
      ...(o.from ? { from: o.from } : {}),
      ...(o.maybe ? { maybe: o.maybe } : {}),
    });
  }
  return env;
}

/** The options that make uWSGI listen (HTTP, its own protocol, FastCGI), in the order uWSGI reads them. */
export const UWSGI_BIND_OPTIONS = ['http', 'http-socket', 'https', 'socket', 'uwsgi-socket', 'fastcgi-socket', 's'] as const;

/** The addresses a uWSGI configuration listens on, each with the option that names it. */
export function uwsgiBinds(c: UwsgiConfig): UwsgiOption[] {
  const keys = new Set<string>(UWSGI_BIND_OPTIONS);
  return c.options.filter((o) => keys.has(o.key));
}

function uwsgiProcess(c: UwsgiConfig): DeployProcess {
  const env = uwsgiEnv(c);
  const procs = uwsgiOption(c, 'processes', 'workers', 'p');
  const ports: (Written & { what: string })[] = [];
  for (const key of ['http', 'http-socket', 'socket', 'uwsgi-socket']) {
    const o = uwsgiOption(c, key);
    const m = o ? /:(\d{1,5})$/.exec(o.value.text) : null;
    if (o && m) ports.push({ text: o.value.text, loc: o.value.loc, value: Number(m[1]), what: key });
  }
  const chdir = uwsgiOption(c, 'chdir');
  return {
    label: `${path.basename(c.file)} (uWSGI)`,
    file: c.file,
    env,
    ...(procs
      ? {
          instances: {
            ...(plainInt(procs.value.text) !== undefined ? { min: 1, max: 1 } : {}),
            why: 'one uWSGI master',
            loc: procs.value.loc,
          },
        }
      : {}),
    probes: [],
    ports,
    ...(chdir && !chdir.value.dynamic ? { runDir: chdir.value.text } : {}),
    containerized: false,
    uwsgi: c,
    ...(c.unreadEnv?.length ? { unreadEnv: c.unreadEnv } : {}),
  };
}

// ---- the command line ------------------------------------------------------------------------------

/** A uWSGI command line's options (`uwsgi --http :8000 --module mysite.wsgi --master`), read as uWSGI's getopt_long reads them. */
export interface UwsgiCommandLine {
  /** Every option in order; a configuration file it loads is an option (`ini`, `yaml`…) in its place. */
  readonly options: readonly UwsgiOption[];
  /**
   * Some words' content is not known where an option may stand (`$EXTRA_ARGS`, `--${MODE}`): options
   * this reading does not see may be set. Why.
   */
  readonly opaque?: string;
}

/** The options that load a configuration file at their place (uWSGI's UWSGI_OPT_IMMEDIATE loaders). */
export const UWSGI_CONFIG_OPTIONS: ReadonlySet<string> = new Set(['ini', 'yaml', 'yml', 'json', 'js', 'xml', 'xmlconfig', 'config']);

/** The option a positional word of a uWSGI command line stands for: a configuration file by its extension, an app file or module. */
function positionalOption(text: string): string | undefined {
  const bare = text.replace(/:[^/:]*$/, '');
  if (/\.ini$/.test(bare)) return 'ini';
  if (/\.ya?ml$/.test(bare)) return 'yaml';
  if (/\.js(on)?$/.test(bare)) return 'json';
  if (/\.xml$/.test(bare)) return 'xml';
  // the Python plugin's magic: a .py or .wsgi file is the app's file, `pkg.mod:callable` its module
  if (/\.(py|wsgi)$/.test(bare)) return 'wsgi-file';
  if (text.includes(':') && text.includes('.')) return 'module';
  return undefined;
}

/**
 * The words after `uwsgi`, read as uWSGI reads its command line (GNU getopt_long over its option
 * tables, uwsgiOptions.ts): `--opt value` and `--opt=value` for an option that takes a value, a
 * switch alone (`--master`), `-p 4`, `-p4` and `-MT` for short options, and words that are no
 * option's value loaded as configuration files (by extension) or taken as the app's file or module.
 */
export function readUwsgiArgs(words: readonly Token[]): UwsgiCommandLine {
  const options: UwsgiOption[] = [];
  const opaque: string[] = [];
  const positionals: Token[] = [];
  const push = (key: string, value: Token, keyLoc: Token['loc'], bare = false): void => {
    options.push({ key: key.replace(/_/g, '-'), value: dynamicToken(value), keyLoc, ...(bare ? { bare } : {}) });
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text;
    if (t === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = (eq > 0 ? t.slice(2, eq) : t.slice(2)).replace(/_/g, '-');
      const flag = eq > 0 ? subToken(w, 0, eq) : w;
      if (w.dynamic && /[$`]/.test(name)) {
        // an option whose name is only known at run time (`"--${MODE}" "$ENDPOINT"`)
        opaque.push(`${t} names an option only known at run time`);
        if (eq < 0 && words[i + 1] && !words[i + 1]!.text.startsWith('-')) i++;
        continue;
      }
      if (UWSGI_SWITCHES.has(name) || UWSGI_OPTIONAL_VALUE.has(name)) {
        push(name, eq > 0 ? subToken(w, eq + 1, t.length) : w, flag.loc, eq < 0);
        continue;
      }
      if (eq > 0) push(name, subToken(w, eq + 1, t.length), flag.loc);
      else if (words[i + 1]) push(name, words[++i]!, flag.loc);
      continue;
    }
    if (t.startsWith('-') && t.length > 1 && !w.dynamic) {
      // short options, several switches in one word (`-MT`), a value attached (`-p4`) or next
      for (let k = 1; k < t.length; k++) {
        const name = UWSGI_SHORT.get(t[k]!);
        if (!name) {
          opaque.push(`${t} is not an option uWSGI knows`);
          break;
        }
        const letter = subToken(w, k, k + 1);
        if (UWSGI_SWITCHES.has(name)) {
          push(name, letter, letter.loc, true);
          continue;
        }
        if (k + 1 < t.length) push(name, subToken(w, k + 1, t.length), letter.loc);
        else if (UWSGI_OPTIONAL_VALUE.has(name)) push(name, letter, letter.loc, true);
        else if (words[i + 1]) push(name, words[++i]!, letter.loc);
        break;
      }
      continue;
    }
    if (w.dynamic && !w.quoted && /^\$/.test(t)) {
      // an unquoted expansion the shell splits into words: options (`$UWSGI_EXTRA_ARGS`)
      opaque.push(`${t} adds words only known at run time`);
      continue;
    }
    positionals.push(w);
  }
  // words that are no option's value: loaded after every option (uWSGI's uwsgi_opt_load and magic)
  for (const p of positionals) {
    const key = p.dynamic ? undefined : positionalOption(p.text);
    if (key) push(key, p, p.loc);
    else opaque.push(`${p.text} is loaded as a configuration uWSGI reads by its kind`);
  }
  return { options: withConditions(options), ...(opaque.length > 0 ? { opaque: opaque.join('; ') } : {}) };
}

// ---- supervisord and Circus ------------------------------------------------------------------------

/** supervisord's `environment=A="1",B=2`: each variable's name and value. */
function supervisorEnv(file: string, value: Token, out: Map<string, DeployEnv>): void {
  const t = value.text;
  let i = 0;
  while (i < t.length) {
    while (i < t.length && (t[i] === ',' || t[i] === ' ' || t[i] === '\t' || t[i] === '\n')) i++;
    const eq = t.indexOf('=', i);
    if (eq < 0) break;
    const name = t.slice(i, eq).trim();
    let j = eq + 1;
    let vs = j;
    let ve: number;
    if (t[j] === '"' || t[j] === "'") {
      const q = t[j]!;
      vs = j + 1;
      ve = t.indexOf(q, vs);
      if (ve < 0) ve = t.length;
      j = ve + 1;
    } else {
      ve = t.indexOf(',', j);
      if (ve < 0) ve = t.length;
      j = ve;
    }
    if (/^[A-Za-z_]\w*$/.test(name)) {
      const map = value.map.sub(vs, ve);
      const v = map.text;
      out.set(name, {
        name,
        value: v,
        token: { ...value, text: v, map, loc: map.length > 0 ? map.loc(0, map.length) : value.loc, dynamic: v.includes('%(') },
        nameLoc: value.map.loc(i, eq),
      });
    }
    i = j;
  }
  void file;
}

/** A `%(key)…` expression at `i` of `t` (Python's `%` conversion): its key, conversion and end. */
function percentExpression(t: string, i: number): { key: string; conversion: string; end: number } | undefined {
  const m = /^%\(([^()\n]{1,100})\)([#0 +-]{0,4}\d{0,4}(?:\.\d{1,4})?[hlL]?[diouxXeEfFgGcrsa])/.exec(t.slice(i, i + 120));
  return m ? { key: m[1]!, conversion: m[2]!, end: i + m[0].length } : undefined;
}

/**
 * A supervisord program's command as the words it splits come from: its `%(key)s` expressions
 * filled in (catalogue/supervisordExpansions.ts). `%(ENV_X)s` becomes `${X}` (the environment the
 * program's command line is read with gives its value, or it is known only at run time), `%(here)s`
 * the configuration's folder, `%(program_name)s` the program's name, `%%` a `%`; any other key (a
 * process number, the host's name) is known only at run time. Each expansion keeps the place it is
 * written at; inside single quotes the quotes are closed around it, as its value is one word there.
 */
export function supervisordCommand(cmd: MappedText, file: string, program: string): MappedText {
  const t = cmd.text;
  if (!t.includes('%')) return cmd;
  const b = new MappedBuilder(cmd.file, cmd.at);
  let single = false;
  let double = false;
  let i = 0;
  while (i < t.length) {
    const c = t[i]!;
    if (c === "'" && !double) single = !single;
    else if (c === '"' && !single) double = !double;
    else if (c === '\\' && !single && i + 1 < t.length) {
      b.pushMapped(cmd, i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '%') {
      b.pushMapped(cmd, i, i + 1);
      i++;
      continue;
    }
    const loc = cmd.loc(i, i + 2);
    if (t[i + 1] === '%') {
      b.push('%', loc.start, loc.end);
      i += 2;
      continue;
    }
    const x = percentExpression(t, i);
    if (!x) {
      b.pushMapped(cmd, i, i + 1);
      i++;
      continue;
    }
    const at = cmd.loc(i, x.end);
    const envName = x.key.startsWith(SUPERVISORD_ENV_PREFIX) ? x.key.slice(SUPERVISORD_ENV_PREFIX.length) : undefined;
    const kind = SUPERVISORD_KEYS[x.key];
    let value: string;
    let expansion = false;
    if (x.conversion === 's' && envName !== undefined && /^[A-Za-z_]\w*$/.test(envName)) {
      value = `\${${envName}}`;
      expansion = true;
    } else if (x.conversion === 's' && kind === 'config folder') value = path.dirname(file);
    else if (x.conversion === 's' && kind === 'program name') value = program;
    else {
      // known only where supervisord runs it: a command substitution stands for it (a word of unknown text)
      value = `$(${t.slice(i, x.end)})`;
      expansion = true;
    }
    if (expansion && single) b.push(`'"${value}"'`, at.start, at.end);
    else b.push(value, at.start, at.end);
    i = x.end;
  }
  return b.build();
}

/** The variables `[supervisord]`'s `environment=` places in supervisord's environment (every program's). */
function supervisordSectionEnv(
  file: string,
  text: string,
  starts: readonly number[],
  doc: ReturnType<typeof parseIni>,
): Map<string, DeployEnv> {
  const env = new Map<string, DeployEnv>();
  const e = doc.sections.get('supervisord')?.values.get('environment');
  if (e) supervisorEnv(file, valueOnLine(file, text, starts, e.line, e.value), env);
  return env;
}

/** A template's text as written and the values known for its expressions (a Salt-rendered template: ScannedFile.rendered). */
export interface TemplateValues {
  readonly original: string;
  readonly expressions: readonly FilledExpression[];
}

/** `t` read from a template's placeholder text, with the values known for its expressions in place (readers/jinja.ts filledMapped). */
function filledToken(t: Token, values: TemplateValues | undefined): Token {
  if (!values) return t;
  const map = filledMapped(t.map, values.expressions);
  return map === t.map ? t : { ...t, text: map.text, map };
}

/** How supervisord reads its files: configparser with inline comments (catalogue SUPERVISORD_INLINE_COMMENTS). */
const SUPERVISORD_INI = { inlineComments: SUPERVISORD_INLINE_COMMENTS.value } as const;

function readSupervisor(file: string, text: string, values?: TemplateValues): DeployFile {
  const doc = parseIni(text, SUPERVISORD_INI);
  const starts = lineStarts(text);
  const out: DeployProcess[] = [];
  const name = path.basename(file);
  const global = supervisordSectionEnv(file, text, starts, doc);
  const nodaemon = doc.sections.get('supervisord')?.values.get('nodaemon')?.value.trim().toLowerCase();
  const foreground = nodaemon !== undefined && ['true', 'yes', 'on', '1'].includes(nodaemon);
  for (const [sname, section] of doc.sections) {
    const m = /^(program|fcgi-program):(.+)$/.exec(sname);
    if (!m) continue;
    const cmd = section.values.get('command');
    if (!cmd) continue;
    const cmdToken = filledToken(valueOnLine(file, text, starts, cmd.line, cmd.value), values);
    const env = new Map<string, DeployEnv>(global);
    const e = section.values.get('environment');
    if (e) supervisorEnv(file, filledToken(valueOnLine(file, text, starts, e.line, e.value), values), env);
    // (a template's program name as rendered where known, else as written: `{{ pillar['project_name'] }}-server`)
    const header = values ? text.indexOf(`[${sname}]`) : -1;
    const program =
      header >= 0
        ? renderedSpan(values!.original, header + 1 + m[1]!.length + 1, header + 1 + sname.length, values!.expressions)
        : templateShown(m[2]!);
    const n = section.values.get('numprocs');
    const dir = section.values.get('directory');
    const user = section.values.get('user');
    // `stopsignal=` (TERM unless written): the signal supervisord stops the program with
    const stop = section.values.get('stopsignal');
    out.push({
      label: `${name} (program ${program})`,
      file,
      shell: supervisordCommand(cmdToken.map, file, header >= 0 ? program : m[2]!),
      env,
      ...(n ? { instances: fixedInstances(n.value, valueOnLine(file, text, starts, n.line, n.value).loc, `numprocs=${n.value}`) } : {}),
      ...(/^(dev|development|local|test)$/.test(m[2]!) ? { devReason: `the program ${m[2]} is for development` } : {}),
      probes: [],
      ports: [],
      ...(dir && !dir.value.includes('%(') ? { runDir: dir.value } : {}),
      containerized: false,
      ...(stop && stop.value !== ''
        ? { stopSignal: { signal: stop.value, loc: valueOnLine(file, text, starts, stop.line, stop.value).loc, written: true } }
        : {}),
      ...(user && user.value !== ''
        ? { user: { ...valueOnLine(file, text, starts, user.line, user.value), dynamic: user.value.includes('%(') } }
        : {}),
      ...(foreground ? { supervisordForeground: true } : {}),
    });
  }
  return { file, format: 'supervisord configuration', processes: out };
}

function readCircus(file: string, text: string): DeployFile {
  const doc = parseIni(text);
  const starts = lineStarts(text);
  const out: DeployProcess[] = [];
  const name = path.basename(file);
  for (const [sname, section] of doc.sections) {
    const m = /^watcher:(.+)$/.exec(sname);
    if (!m) continue;
    const cmd = section.values.get('cmd');
    if (!cmd) continue;
    const args = section.values.get('args');
    const words: Token[] = [
      ...splitWords(valueOnLine(file, text, starts, cmd.line, cmd.value).map, 'split'),
      ...(args ? splitWords(valueOnLine(file, text, starts, args.line, args.value).map, 'split') : []),
    ];
    const env = new Map<string, DeployEnv>();
    const envSection = doc.sections.get(`env:${m[1]}`);
    for (const v of envSection?.values.values() ?? []) {
      const key = keyOnLine(file, text, starts, v.line);
      const nameAsWritten = text.slice(key.start, key.end);
      env.set(nameAsWritten, {
        name: nameAsWritten,
        value: v.value,
        token: valueOnLine(file, text, starts, v.line, v.value),
        nameLoc: key,
      });
    }
    const n = section.values.get('numprocesses');
    out.push({
      label: `${name} (watcher ${m[1]})`,
      file,
      words,
      env,
      ...(n
        ? { instances: fixedInstances(n.value, valueOnLine(file, text, starts, n.line, n.value).loc, `numprocesses = ${n.value}`) }
        : {}),
      probes: [],
      ports: [],
      containerized: false,
    });
  }
  return { file, format: 'Circus configuration', processes: out };
}

/** Whether a line (stripped) is an ini section header that starts with `prefix` (`[program:web]`). */
function hasSection(text: string, prefixes: readonly string[]): boolean {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length > 2 && line.endsWith(']') && prefixes.some((p) => line.startsWith(p) && line.length > p.length + 1)) return true;
  }
  return false;
}

/** What kind of app-server or process-manager configuration a text is, by its content. */
export function appConfigKind(file: string, text: string): 'uwsgi' | 'supervisord' | 'circus' | undefined {
  if (/\.ya?ml$/i.test(file)) return /^uwsgi[ \t]*:/m.test(text) ? 'uwsgi' : undefined;
  if (text.split('\n').some((l) => l.trim() === '[uwsgi]')) return 'uwsgi';
  if (hasSection(text, ['[program:', '[fcgi-program:'])) return 'supervisord';
  if (hasSection(text, ['[watcher:'])) return 'circus';
  return undefined;
}

export interface AppConfigFile extends DeployFile {
  readonly uwsgi?: UwsgiConfig;
}

function readAppConfig(file: string, text: string, values?: TemplateValues): AppConfigFile | undefined {
  try {
    switch (appConfigKind(file, text)) {
      case 'uwsgi': {
        const c = /\.ya?ml$/i.test(file) ? readUwsgiYaml(file, text) : readUwsgiIni(file, text);
        return c ? { file, format: 'uWSGI configuration', processes: [uwsgiProcess(c)], uwsgi: c } : undefined;
      }
      case 'supervisord':
        return readSupervisor(file, text, values);
      case 'circus':
        return readCircus(file, text);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** Reads an app-server or process-manager configuration (each text once). */
export const parseAppConfig = memoByText(readAppConfig);

/** A Jinja template's name (`uwsgi.ini.j2`, `uwsgi.j2`): Ansible fills it in before the server reads it. */
export function isJinjaTemplate(file: string): boolean {
  return /\.(j2|jinja2?)$/i.test(file);
}

/**
 * An app-server configuration written as a Jinja template (an Ansible role's `templates/uwsgi.ini.j2`),
 * read as the server reads what Ansible writes: the values the template fills in are unknown (uWSGI
 * placeholders), except the `env = {{ key }}={{ value }}` lines of a loop over a dictionary's items,
 * which become one `env =` per entry of the dictionary the role's and inventory's variables give
 * (`scope`), placed where each entry is written.
 */
export function readAppConfigTemplate(
  file: string,
  text: string,
  scope: AnsibleScope | undefined,
  filled?: readonly FilledExpression[],
): AppConfigFile | undefined {
  const plain = templateAsText(text, (n, e) => namedPlaceholder(e, '$(', ')') ?? `$(${'t'.repeat(Math.max(0, n - 3))})`);
  const read = readAppConfig(file, plain, filled ? { original: text, expressions: filled } : undefined);
  if (!read?.uwsgi) return read;
  const c = expandItemsLoops(read.uwsgi, text, scope);
  return { ...read, processes: [uwsgiProcess(c)], uwsgi: c };
}

/** The `env = {{ key }}={{ value }}` line of a loop's body, where it is written; undefined when the body has none. */
function envLine(text: string, loop: ItemsLoop): { start: number; end: number } | undefined {
  let pos = loop.bodyStart;
  while (pos < loop.bodyEnd) {
    let end = text.indexOf('\n', pos);
    if (end < 0 || end > loop.bodyEnd) end = loop.bodyEnd;
    const line = text.slice(pos, end).trim();
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq).trim() === 'env') {
      const rest = line.slice(eq + 1).trim();
      const close = rest.indexOf('}}');
      if (close > 0) {
        const name = rest.slice(0, close + 2).trim();
        const after = rest.slice(close + 2).trim();
        if (after.startsWith('=') && isBareExpression(name, loop.keyVar) && isBareExpression(after.slice(1).trim(), loop.valueVar))
          return { start: pos + text.slice(pos, end).indexOf('env'), end: pos + text.slice(pos, end).indexOf('env') + 3 };
      }
    }
    pos = end + 1;
  }
  return undefined;
}

/** `c` with the options inside each dictionary loop of `text` replaced by the `env =` options its entries give. */
function expandItemsLoops(c: UwsgiConfig, text: string, scope: AnsibleScope | undefined): UwsgiConfig {
  const loops = itemsLoops(text);
  if (loops.length === 0) return c;
  let options = [...c.options];
  const unread = [...(c.unreadEnv ?? [])];
  for (const loop of loops) {
    const inside = (o: UwsgiOption): boolean =>
      o.keyLoc.file === c.file && o.keyLoc.start >= loop.bodyStart && o.keyLoc.start < loop.bodyEnd;
    const at = options.findIndex(inside);
    const writesEnv = options.some((o) => inside(o) && o.key === 'env');
    options = options.filter((o) => !inside(o));
    const line = envLine(text, loop);
    if (!line) {
      // `env =` lines of another shape: what they set is not known
      if (writesEnv) unread.push(`the variables a loop over Ansible's ${loop.dict} writes`);
      continue;
    }
    const keyLoc = { file: c.file, start: line.start, end: line.end };
    const entries = dictionaryEntries(scope, loop.dict);
    if ('unread' in entries) {
      unread.push(`the variables of Ansible's ${loop.dict} (${entries.unread})`);
      continue;
    }
    const added = entries.entries.map(
      (e): UwsgiOption => ({
        key: 'env',
        value: e.token,
        keyLoc,
        ...(e.from ? { from: e.from } : {}),
        ...(e.maybe ? { maybe: e.maybe } : {}),
      }),
    );
    options.splice(at < 0 ? options.length : at, 0, ...added);
  }
  return { ...c, options: withConditions(options), ...(unread.length ? { unreadEnv: unread } : {}) };
}

interface EnvEntry {
  readonly token: Token;
  readonly from?: string;
  readonly maybe?: string;
}

/**
 * The entries of the dictionary an Ansible variable (`django_environment`, `app.env`) holds where the
 * role runs, each as the `NAME=value` token of an `env =` option placed in the variables file that
 * writes it: a value Ansible renders (`{{ lookup('aws_ssm', …) }}`) or that the hosts set differently
 * is set with its value unknown; one that only some hosts set is maybe set.
 */
function dictionaryEntries(scope: AnsibleScope | undefined, dict: string): { entries: EnvEntry[] } | { unread: string } {
  if (!scope) return { unread: 'the template is in no role whose variables are in the repository' };
  const [head, ...attrs] = dict.split('.');
  const bindings = scope.lookup(head!);
  if (bindings.length === 0) return { unread: 'no variables file of the role or its inventory sets it' };
  const maps: { map: YamlMap; binding: AnsibleBinding }[] = [];
  for (const b of bindings) {
    let node: YamlNode | undefined = b.node;
    for (const a of attrs) node = node?.kind === 'map' ? node.entries.find((e) => e.key.value === a)?.value : undefined;
    if (node?.kind !== 'map') return { unread: `${b.level} gives it a value the analysis does not read as a dictionary` };
    maps.push({ map: node, binding: b });
  }
  const names: string[] = [];
  for (const m of maps) for (const e of m.map.entries) if (!names.includes(e.key.value)) names.push(e.key.value);
  const entries: EnvEntry[] = [];
  for (const name of names) {
    const given = maps.flatMap((m) => {
      const e = m.map.entries.find((x) => x.key.value === name);
      return e ? [{ key: e.key, value: e.value, binding: m.binding }] : [];
    });
    const first = given[0]!;
    const printed = given.map((g) => (g.value === undefined ? 'None' : g.value.kind === 'scalar' ? printedScalar(g.value) : undefined));
    const b = new MappedBuilder(first.key.loc.file, first.key.loc.start);
    b.pushMapped(first.key.map);
    b.push('=', first.key.loc.end, first.key.loc.end);
    const same = printed.every((p) => p !== undefined && p === printed[0]);
    let from: string | undefined;
    const value = first.value;
    if (same && value?.kind === 'scalar') {
      if (printed[0] === value.value) b.pushMapped(value.map);
      else b.push(printed[0]!, value.loc.start, value.loc.end);
    } else if (same) b.push(printed[0]!, first.key.loc.end, first.key.loc.end);
    else
      from =
        printed[0] === undefined && given.length === 1
          ? `the Ansible variable ${dict} (${first.binding.level}), rendered where Ansible runs`
          : `the Ansible variable ${dict}, set differently by ${given.map((g) => g.binding.level).join(' and ')}`;
    const map = b.build();
    const end = same && value ? value.loc.end : first.key.loc.end;
    const token: Token = {
      text: map.text,
      loc: { file: first.key.loc.file, start: first.key.loc.start, end },
      map,
      quoted: false,
      env: [],
      dynamic: false,
    };
    const maybe =
      given.length < maps.length
        ? `only ${given.map((g) => g.binding.level).join(' and ')} set it in the Ansible variable ${dict}`
        : undefined;
    entries.push({ token, ...(from ? { from } : {}), ...(maybe ? { maybe } : {}) });
  }
  return { entries };
}

export { MappedText };
