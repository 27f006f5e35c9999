// What standard-library functions do with a module's NAME (a string such as `__name__`): use it as a
// logger's name, a message, a path or a module to import. None of them sets an attribute of the
// module so named: only code given the module object itself (`sys.modules[__name__]`, `globals()`,
// `vars()`) can write its names. The evaluator (eval/calls.ts handOver) asks this catalogue before
// it reads a call given `__name__` as one that hands the settings module to code it cannot read.
// Read from the Python 3.12 documentation.
import type { Fact } from './facts';

const DOCS = 'https://docs.python.org/3.12/library';

/** What a function given a string does with it, for the notes. */
export type NameUse = 'logger name' | 'message' | 'path' | 'module to import' | 'output';

/**
 * Standard-library callables, by dotted name as a settings module calls them, that take a module's
 * name as a string and never set that module's attributes. A `*` last part stands for every
 * function of that module (`os.path.*`).
 */
export const NAME_ONLY_CALLS: Readonly<Record<string, Fact<NameUse>>> = {
  'logging.getLogger': {
    value: 'logger name',
    source: {
      url: `${DOCS}/logging.html#logging.getLogger`,
      quote:
        'Return a logger with the specified name or, if name is None, return the root logger … Multiple calls to getLogger() with the same name will always return a reference to the same Logger object.',
    },
  },
  // a Logger's methods (`logging.getLogger(__name__).info(...)`): msg is a format string
  'logging.Logger.*': {
    value: 'message',
    source: {
      url: `${DOCS}/logging.html#logging.Logger.debug`,
      quote:
        'Logs a message with level DEBUG on this logger. The msg is the message format string, and the args are the arguments which are merged into msg using the string formatting operator.',
    },
  },
  // logging.debug, info, warning, error, critical, exception, log (LOGGING_LEVEL_FUNCTIONS)
  'logging.debug': {
    value: 'message',
    source: {
      url: `${DOCS}/logging.html#logging.debug`,
      quote:
        'This is a convenience function that calls Logger.debug(), on the root logger. The handling of the arguments is in every way identical to what is described in that method.',
    },
  },
  'warnings.warn': {
    value: 'message',
    source: {
      url: `${DOCS}/warnings.html#warnings.warn`,
      quote: 'Issue a warning, or maybe ignore it or raise an exception. The category argument, if given, must be a warning category class',
    },
  },
  // it returns the module: what the caller then does with that object can write it (a setattr)
  'importlib.import_module': {
    value: 'module to import',
    source: {
      url: `${DOCS}/importlib.html#importlib.import_module`,
      quote:
        'Import a module. The name argument specifies what module to import in absolute or relative terms … The import_module() function acts as a simplifying wrapper around importlib.__import__(). This means all semantics of the function are derived from importlib.__import__().',
    },
  },
  'os.path.*': {
    value: 'path',
    source: {
      url: `${DOCS}/os.path.html`,
      quote: 'This module implements some useful functions on pathnames.',
    },
  },
  print: {
    value: 'output',
    source: {
      url: 'https://docs.python.org/3.12/library/functions.html#print',
      quote: 'Print objects to the text stream file, separated by sep and followed by end.',
    },
  },
};

/** The logging functions and Logger methods that log a message (the same arguments as Logger.debug). */
export const LOGGING_LEVEL_FUNCTIONS: readonly string[] = ['debug', 'info', 'warning', 'warn', 'error', 'critical', 'exception', 'log'];

/**
 * Whether `callee` (a dotted name as written or as the evaluator follows it: `logging.getLogger`,
 * `logging.getLogger().info`, `os.path.join`) is a standard-library call that only uses a module's
 * name: what it does with it, or undefined when the catalogue does not say.
 */
export function nameOnlyCall(callee: string): NameUse | undefined {
  const name = callee.replace(/\(\)$/, '');
  const direct = NAME_ONLY_CALLS[name];
  if (direct) return direct.value;
  // a method of what getLogger() returns: `logging.getLogger().info`, `logging.getLogger(__name__).warning`
  const logged = /^logging\.(?:getLogger(?:\(\))?\.)?(\w+)$/.exec(name);
  if (logged && LOGGING_LEVEL_FUNCTIONS.includes(logged[1]!))
    return NAME_ONLY_CALLS[name.startsWith('logging.getLogger') ? 'logging.Logger.*' : 'logging.debug']!.value;
  const dot = name.lastIndexOf('.');
  if (dot > 0 && !name.includes('(')) return NAME_ONLY_CALLS[`${name.slice(0, dot)}.*`]?.value;
  return undefined;
}
