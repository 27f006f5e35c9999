// Paths as os, os.path and pathlib build them (joined, normalised, their parents and names), and
// whether a path exists (known for the project's own files): os.path's functions, Path() and the
// attributes and methods of a Path.
import type { CallArgs, EvalApi } from '../api';
import { normalizePath } from '../paths';
import * as V from '../values';
import type { Loc, Value } from '../values';
import { method } from './objects';

/** os.path.exists(p) / Path(p).exists(): known for the project's own files (see EvalApi.pathExists). */
export function existence(api: EvalApi, p: Value | undefined, loc: Loc, what: string): Value {
  const text = p ? pathText(p) : undefined;
  const known = text === undefined ? undefined : api.pathExists(text);
  return known === undefined ? V.unknown(what, loc, 'bool') : V.derive(V.bool(known), loc, [p!]);
}

function pathText(v: Value): string | undefined {
  return v.kind === 'str' || v.kind === 'path' ? v.v : undefined;
}

/** Parts whose joining would pass MAX_STR_LENGTH. */
function tooLong(parts: readonly string[]): boolean {
  let n = 0;
  for (const p of parts) n += p.length + 1;
  return n > V.MAX_STR_LENGTH;
}

export function pathOp(args: CallArgs, f: (parts: string[]) => string | undefined): Value {
  const parts = args.pos.map(pathText);
  if (parts.some((p) => p === undefined) || parts.length === 0)
    return V.unknownFrom(args.pos, 'a path built from unknown parts', args.loc, 'str');
  if (tooLong(parts as string[])) return V.tooLarge('a path', args.loc, 'str');
  const r = f(parts as string[]);
  if (r === undefined) return V.unknownFrom(args.pos, 'a path the analysis cannot compute', args.loc, 'str');
  return V.derive(V.str(r), args.loc, args.pos);
}

export function makePath(args: CallArgs): Value {
  if (args.pos.length === 0) return V.path('.', 'derived', args.loc);
  const parts = args.pos.map(pathText);
  if (parts.some((p) => p === undefined)) return V.unknownFrom(args.pos, 'a Path of unknown parts', args.loc, 'path');
  if (tooLong(parts as string[])) return V.tooLarge('a path', args.loc, 'path');
  const joined = (parts as string[]).reduce(
    (acc, p) => (p.startsWith('/') ? p : acc === '' || acc === '.' ? p : acc.replace(/\/$/, '') + '/' + p),
    '',
  );
  return V.derive(V.path(normalizePath(joined)), args.loc, args.pos);
}

export function pathAttr(self: V.PathValue, name: string, loc: Loc): Value {
  const p = self.v;
  const mk = (v: string): Value => V.derive(V.path(v), loc, [self]);
  switch (name) {
    case 'parent':
      return mk(p.includes('/') ? p.replace(/\/[^/]*$/, '') || '/' : '.');
    case 'parents': {
      const out: Value[] = [];
      let cur = p;
      while (cur.includes('/') && cur !== '/') {
        cur = cur.replace(/\/[^/]*$/, '') || '/';
        out.push(V.path(cur));
      }
      return V.derive(V.seq('tuple', out), loc, [self]);
    }
    case 'name':
    case 'stem':
    case 'suffix': {
      // pathlib: the name of '.' and '/' is ''; the suffix is from the last dot when the dot is
      // neither the first nor the last character of the name ('.bashrc' and 'a.' have none)
      const base = p === '.' || p === '/' ? '' : p.replace(/^.*\//, '');
      const i = base.lastIndexOf('.');
      const dotted = i > 0 && i < base.length - 1;
      const part = name === 'name' ? base : name === 'stem' ? (dotted ? base.slice(0, i) : base) : dotted ? base.slice(i) : '';
      return V.derive(V.str(part), loc, [self]);
    }
    case 'resolve':
    case 'absolute':
    case 'expanduser':
      return method(`Path.${name}`, (args) => V.derive(V.path(p), args.loc, [self]));
    case 'as_posix':
    case '__str__':
      return method(`Path.${name}`, (args) => V.derive(V.str(p), args.loc, [self]));
    case 'joinpath':
      return method('Path.joinpath', (args) => {
        const parts = args.pos.map(pathText);
        if (parts.some((x) => x === undefined)) return V.unknownFrom(args.pos, 'a path of unknown parts', args.loc, 'path');
        if (tooLong([p, ...(parts as string[])])) return V.tooLarge('a path', args.loc, 'path');
        return V.derive(
          V.path(normalizePath([p, ...(parts as string[])].reduce((acc, x) => (x.startsWith('/') ? x : acc + '/' + x)))),
          args.loc,
          [self, ...args.pos],
        );
      });
    case 'with_name':
    case 'with_suffix':
      return method(`Path.${name}`, (args) => V.unknownFrom(args.pos, `Path.${name}()`, args.loc, 'path'));
    case 'exists':
    case 'is_file':
      return method(`Path.${name}`, (args, api) => existence(api, self, args.loc, 'whether a path exists'));
    case 'is_dir':
      return method(`Path.${name}`, (args) => V.unknown('whether a path exists', args.loc, 'bool'));
    case 'read_text':
    case 'read_bytes':
      return method(`Path.${name}`, (args) => ({
        ...V.unknown('read from a file', args.loc, 'str'),
        producedBy: 'file' as const,
        readPath: self,
      }));
    case 'write_text':
    case 'write_bytes':
      return method(`Path.${name}`, (args, api) => {
        api.record('file.write', args);
        api.wroteFile(self, args.loc);
        return V.unknown('the count of characters written', args.loc, 'int');
      });
    case 'open':
      return method('Path.open', (args) => V.object('file', { path: self }, args.loc));
    case 'mkdir':
    case 'touch':
      return method(`Path.${name}`, (args) => V.none('derived', args.loc));
    default:
      return V.unknown(`Path.${name}`, loc);
  }
}
