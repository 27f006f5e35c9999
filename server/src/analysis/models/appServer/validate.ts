// Gunicorn's validators as data checks: what a config-file value or a command-line string must look
// like for each setting type (see GunicornType in vocabulary.ts). A value gunicorn's validator
// refuses stops gunicorn at start-up ("Invalid value for workers"), a value of the wrong shape it
// accepts may mean something else than intended; both are reported where the value is written.
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { type GunicornSetting, GUNICORN_IP_LIST_VALIDATED_SINCE } from '../../catalogue/gunicornSettings';

export interface TypeProblem {
  readonly message: string;
  /** The item at fault inside a list or string, when not the whole value. */
  readonly loc?: Loc;
  /**
   * The gunicorn release from which it refuses the value, when older releases take it (an IP list
   * entry that is no address: before 23.0 compared with the client's address as text, never matching).
   */
  readonly refusedSince?: string;
}

/** Python's int(s, 0): decimal without leading zeros, 0x/0o/0b prefixes, underscores between digits. */
export function parsePyInt(text: string): number | undefined {
  const s = text.trim();
  const m = /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?[0-9])*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!.replace(/_/g, '');
  const n = /^0[xX]/.test(body)
    ? Number.parseInt(body.slice(2), 16)
    : /^0[oO]/.test(body)
      ? Number.parseInt(body.slice(2), 8)
      : /^0[bB]/.test(body)
        ? Number.parseInt(body.slice(2), 2)
        : Number.parseInt(body, 10);
  return m[1] === '-' ? -n : n;
}

/** gunicorn's auto_int for command-line octal values: a leading 0 means octal (`022` → 18). */
export function parseAutoInt(text: string): number | undefined {
  const s = text.trim();
  return parsePyInt(/^0\d/.test(s) ? '0o' + s.slice(1) : s);
}

function describe(v: Value): string {
  switch (v.kind) {
    case 'str':
      return v.v.length <= 40 ? `the string ${V.repr(v)}` : 'a string';
    case 'int':
    case 'float':
      return `the ${v.kind === 'int' ? 'integer' : 'float'} ${V.repr(v)}`;
    case 'bool':
      return V.repr(v);
    case 'none':
      return 'None';
    case 'path':
      return 'a pathlib.Path';
    case 'list':
    case 'tuple':
    case 'set':
      return `a ${v.kind}`;
    case 'dict':
      return 'a dict';
    case 'object':
      return v.tag === 'user-fn'
        ? 'a function'
        : v.tag === 'user-class'
          ? 'a class'
          : v.tag.startsWith('module:')
            ? 'a module'
            : 'an object';
    default:
      return 'a value';
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipv4ToInt(s: string): number {
  return s.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}

function isIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  const parts = s.split('::');
  if (parts.length > 2) return false;
  const groups = (p: string): string[] => (p === '' ? [] : p.split(':'));
  const all = [...groups(parts[0]!), ...(parts.length === 2 ? groups(parts[1]!) : [])];
  let count = 0;
  for (let k = 0; k < all.length; k++) {
    const g = all[k]!;
    if (k === all.length - 1 && IPV4.test(g)) count += 2;
    else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count++;
    else return false;
  }
  return parts.length === 2 ? count < 8 : count === 8;
}

/** One entry of forwarded_allow_ips / proxy_allow_ips: '*', an address, or a network without host bits. */
export function ipEntryProblem(entry: string): string | undefined {
  const e = entry.trim();
  if (e === '*' || e === '') return undefined;
  const slash = e.indexOf('/');
  const addr = slash >= 0 ? e.slice(0, slash) : e;
  const bits = slash >= 0 ? e.slice(slash + 1) : undefined;
  if (IPV4.test(addr)) {
    if (bits === undefined) return undefined;
    if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) return `"${e}" is not a valid network`;
    const n = Number(bits);
    const hostMask = n === 32 ? 0 : 2 ** (32 - n) - 1;
    if (ipv4ToInt(addr) % (hostMask + 1) !== 0)
      return `"${e}" has host bits set (gunicorn's strict check refuses it; write the network address)`;
    return undefined;
  }
  if (isIpv6(addr)) {
    if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > 128)) return `"${e}" is not a valid network`;
    return undefined;
  }
  return `"${e}" is not an IP address or network`;
}

function commaEntries(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function listItems(v: Value): Value[] | undefined {
  return V.isSeq(v) ? v.items : undefined;
}

/** Problems of a string given to a setting (config value or command-line text). */
function checkString(s: GunicornSetting, text: string, fromCli: boolean): TypeProblem | undefined {
  const message = stringProblem(s, text, fromCli);
  if (message === undefined) return undefined;
  return s.type === 'ip-list' ? { message, refusedSince: GUNICORN_IP_LIST_VALIDATED_SINCE } : { message };
}

function stringProblem(s: GunicornSetting, text: string, fromCli: boolean): string | undefined {
  switch (s.type) {
    case 'pos-int':
    case 'bounded-int':
    case 'octal-int': {
      const n = s.type === 'octal-int' && fromCli ? parseAutoInt(text) : parsePyInt(text);
      if (n === undefined)
        return `${s.name} must be a whole number, not "${text.trim()}"${s.type === 'octal-int' && !fromCli && /^0\d/.test(text.trim()) ? ' (write 0o' + text.trim().slice(1) + ' for octal)' : ''}`;
      if (n < 0) return `${s.name} must not be negative`;
      if (s.type === 'bounded-int' && s.range && (n < s.range[0] || n > s.range[1]))
        return `${s.name} must be between ${s.range[0]} and ${s.range[1]}`;
      return undefined;
    }
    case 'bool': {
      const t = text.trim().toLowerCase();
      return t === 'true' || t === 'false'
        ? undefined
        : `${s.name} must be True or False (as a string only "true" or "false"), not "${text.trim()}"`;
    }
    case 'choice': {
      const t = s.name === 'reload_engine' ? text.trim() : text.trim().toLowerCase();
      if (!s.choices || s.choices.includes(t)) return undefined;
      return `${s.name} must be one of ${s.choices.map((c) => `"${c}"`).join(', ')}, not "${text.trim()}"`;
    }
    case 'choice-list': {
      const entries = commaEntries(text.toLowerCase());
      const bad = entries.find((e) => s.choices && !s.choices.includes(e));
      if (bad) return `${s.name} accepts ${(s.choices ?? []).map((c) => `"${c}"`).join(', ')}, not "${bad}"`;
      if (new Set(entries).size !== entries.length) return `${s.name} lists a protocol twice`;
      return undefined;
    }
    case 'ip-list': {
      for (const e of commaEntries(text)) {
        const p = ipEntryProblem(e);
        if (p) return `${s.name}: ${p}`;
      }
      return undefined;
    }
    case 'host-port': {
      const t = text.trim();
      if (t.startsWith('unix:')) return undefined;
      const m = /^(.*?)(?::(\d+))?$/.exec(t);
      if (!m || (t.includes(':') && !/:\d+$/.test(t) && !t.startsWith('['))) return `${s.name} must be "HOST:PORT", not "${t}"`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A command-line value's problem (all flag values are strings). */
export function checkFlagValue(s: GunicornSetting, text: string): string | undefined {
  return checkString(s, text, true)?.message;
}

/** A command-line value's problem, with the release from which gunicorn refuses it. */
export function checkFlagProblem(s: GunicornSetting, text: string): TypeProblem | undefined {
  return checkString(s, text, true);
}

const WORKER_SHORT_NAMES = ['sync', 'eventlet', 'gevent', 'gevent_wsgi', 'gevent_pywsgi', 'tornado', 'gthread', 'asgi', 'ginterpreter'];

/** Problems of a worker class name (a short name gunicorn ships, or a dotted path). */
export function workerClassProblem(text: string): string | undefined {
  const t = text.trim();
  if (t.includes('.') || t.includes(':') || t.includes('#')) return undefined;
  if (WORKER_SHORT_NAMES.includes(t.toLowerCase())) return undefined;
  if (t.toLowerCase().includes('uvicorn'))
    return `worker_class "${t}" is not a gunicorn worker: uvicorn's is "uvicorn.workers.UvicornWorker" (or "uvicorn_worker.UvicornWorker")`;
  return `worker_class "${t}" is not a worker gunicorn ships (${WORKER_SHORT_NAMES.join(', ')}); give a dotted path for other workers`;
}

/**
 * The problem of a config-file value for a setting, if gunicorn would refuse it (or read it as
 * something else). Unknown values are never a problem.
 */
export function checkConfigValue(s: GunicornSetting, v: Value): TypeProblem | undefined {
  if (v.kind === 'unknown') return undefined;
  const bad = (message: string, loc?: Loc): TypeProblem => ({ message, loc });
  switch (s.type) {
    case 'pos-int':
    case 'bounded-int':
    case 'octal-int': {
      if (v.kind === 'bool') return undefined;
      if (v.kind === 'int') {
        if (v.v < 0) return bad(`${s.name} must not be negative (gunicorn refuses ${v.v})`);
        if (s.type === 'bounded-int' && s.range && (v.v < s.range[0] || v.v > s.range[1]))
          return bad(`${s.name} must be between ${s.range[0]} and ${s.range[1]}, not ${v.v}`);
        return undefined;
      }
      if (v.kind === 'str') {
        const p = checkString(s, v.v, false);
        return p ? bad(`${p.message}: gunicorn refuses to start`) : undefined;
      }
      if (v.kind === 'float')
        return bad(`${s.name} must be an integer, not ${describe(v)}: gunicorn refuses floats (write ${Math.round(v.v)})`);
      return bad(`${s.name} must be an integer, not ${describe(v)}`);
    }
    case 'bool': {
      if (v.kind === 'bool' || v.kind === 'none') return undefined;
      if (v.kind === 'str') {
        const p = checkString(s, v.v, false);
        return p ? bad(`${p.message}: gunicorn refuses to start`) : undefined;
      }
      if (v.kind === 'int') return bad(`${s.name} must be True or False, not ${describe(v)}: gunicorn refuses integers for booleans`);
      return bad(`${s.name} must be True or False, not ${describe(v)}`);
    }
    case 'string':
    case 'dir': {
      if (v.kind === 'str' || v.kind === 'none') return undefined;
      if (v.kind === 'path')
        return bad(`${s.name} must be a string, not a pathlib.Path: gunicorn refuses it ("Not a string"); wrap it in str()`);
      return bad(`${s.name} must be a string, not ${describe(v)}: gunicorn refuses to start`);
    }
    case 'string-list':
    case 'path-list': {
      if (v.kind === 'str' || v.kind === 'none') return undefined;
      if (v.kind === 'bool' && !v.v) return undefined;
      const items = listItems(v);
      if (!items) {
        if (v.kind === 'int' && v.v === 0) return undefined;
        return bad(
          `${s.name} must be a list of strings, not ${describe(v)}${s.name === 'bind' && v.kind === 'int' ? ` (write "0.0.0.0:${v.v}" or "127.0.0.1:${v.v}")` : ''}`,
        );
      }
      const wrong = items.find((i) => i.kind !== 'str' && i.kind !== 'unknown');
      if (wrong)
        return bad(
          `every item of ${s.name} must be a string, not ${describe(wrong)}${wrong.kind === 'path' ? ' (wrap it in str())' : ''}`,
          wrong.loc,
        );
      return undefined;
    }
    case 'comma-list':
    case 'ip-list':
    case 'choice-list': {
      if (v.kind === 'none') return undefined;
      if (V.isSeq(v)) {
        const strs = V.strItems(v);
        const fix = strs ? ` ("${strs.join(',')}")` : '';
        return bad(`${s.name} must be one comma-separated string${fix}, not a ${v.kind}: gunicorn refuses to start ("Not a string")`);
      }
      if (v.kind !== 'str') return bad(`${s.name} must be a comma-separated string, not ${describe(v)}`);
      return checkString(s, v.v, false);
    }
    case 'choice': {
      if (v.kind === 'none') return undefined;
      if (v.kind === 'bool' && (s.name === 'proxy_protocol' || s.name === 'http2_cleartext')) return undefined;
      if (v.kind !== 'str') return bad(`${s.name} must be one of ${(s.choices ?? []).map((c) => `"${c}"`).join(', ')}, not ${describe(v)}`);
      return checkString(s, v.v, false);
    }
    case 'dict':
      return v.kind === 'dict' ? undefined : bad(`${s.name} must be a dict, not ${describe(v)}`);
    case 'class': {
      if (v.kind === 'object') return undefined;
      if (v.kind !== 'str') return bad(`${s.name} must be a class or its dotted path, not ${describe(v)}`);
      if (s.name === 'worker_class') {
        const p = workerClassProblem(v.v);
        return p ? bad(p) : undefined;
      }
      return undefined;
    }
    case 'hook': {
      if (v.kind === 'object') return undefined;
      if (v.kind === 'str' && v.v.includes('.')) return undefined;
      return bad(`${s.name} must be a function (a server hook), not ${describe(v)}`);
    }
    case 'uid':
    case 'gid':
      return v.kind === 'int' || v.kind === 'str' || v.kind === 'none'
        ? undefined
        : bad(`${s.name} must be a ${s.type === 'uid' ? 'user' : 'group'} name or id, not ${describe(v)}`);
    case 'host-port': {
      if (v.kind === 'none') return undefined;
      if (v.kind !== 'str') return bad(`${s.name} must be a "HOST:PORT" string, not ${describe(v)}`);
      return checkString(s, v.v, false);
    }
    default:
      return undefined;
  }
}

/** Items of a comma-separated setting value with their own locations (for `"*"` inside "10.0.0.1,*"). */
export function commaItems(text: string): { entry: string; start: number; end: number }[] {
  const out: { entry: string; start: number; end: number }[] = [];
  let i = 0;
  for (const part of text.split(',')) {
    const lead = part.length - part.trimStart().length;
    const t = part.trim();
    if (t) out.push({ entry: t, start: i + lead, end: i + lead + t.length });
    i += part.length + 1;
  }
  return out;
}
