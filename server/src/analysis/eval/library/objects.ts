// How library objects are made: a library function (`fn`, with attributes), a method of a value
// (`method`: one that changes its receiver in place says so), a module of attributes made when first
// read, and Python's builtin exception classes. Shared by builtins/ and library/.
import type { CallArgs, EvalApi } from '../api';
import * as V from '../values';
import type { Loc, Value } from '../values';

export type Impl = (args: CallArgs, api: EvalApi) => Value;

export function fn(name: string, impl: Impl, attrs?: Record<string, Value>): V.ObjectValue {
  return V.object('fn', { name, impl, attrs });
}

export function method(name: string, impl: Impl, mutates = false): V.ObjectValue {
  return V.object('method', { name, impl, mutates });
}

export function a0(args: CallArgs): Value | undefined {
  return args.pos[0];
}

export const WHITESPACE = ' \t\n\r\v\f';

export function moduleObject(name: string, attrs: Record<string, () => Value>, loc?: Loc): V.ObjectValue {
  return V.object('module:' + name, { name, attrs }, loc);
}

const EXCEPTIONS = [
  'Exception',
  'BaseException',
  'ImportError',
  'ModuleNotFoundError',
  'KeyError',
  'IndexError',
  'ValueError',
  'TypeError',
  'OSError',
  'IOError',
  'FileNotFoundError',
  'LookupError',
  'RuntimeError',
  'AttributeError',
  'NameError',
  'EnvironmentError',
  'NotImplementedError',
];

const EXCEPTION_CLASSES = new Map<string, Value>();

/** A builtin exception class (`KeyError`, `ImproperlyConfigured`'s base `Exception`…), made once; undefined for another name. */
export function exceptionClass(name: string): Value | undefined {
  let v = EXCEPTION_CLASSES.get(name);
  if (v === undefined && EXCEPTIONS.includes(name)) {
    v = V.object('fn', { name, impl: (args: CallArgs) => V.object('exception:' + name, undefined, args.loc) });
    EXCEPTION_CLASSES.set(name, v);
  }
  return v;
}
