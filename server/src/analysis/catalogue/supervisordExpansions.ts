// supervisord's expansions in a program's values (`command=`, `directory=`, `environment=`,
// `user=`, the log files…): Python `%(key)s` string expressions it fills in before it starts the
// program (and before it splits `command=` into words), from a dictionary of its own keys and of
// its environment's variables, each named `ENV_` and the variable's name.

import type { Source } from './facts';

/** The prefix of the keys that are supervisord's environment variables (`%(ENV_HOME)s`). */
export const SUPERVISORD_ENV_PREFIX = 'ENV_';

/**
 * The keys supervisord itself gives every program section's expressions, with what each is:
 * `here` and `program_name` are known from the file; the others only where it runs.
 */
export const SUPERVISORD_KEYS: Readonly<Record<string, 'config folder' | 'program name' | 'run time'>> = {
  here: 'config folder',
  program_name: 'program name',
  group_name: 'run time',
  host_node_name: 'run time',
  process_num: 'run time',
  numprocs: 'run time',
};

export const SUPERVISORD_EXPANSIONS: Source = {
  url: 'http://supervisord.org/configuration.html#program-x-section-values',
  quote:
    "Note that the value of command may include Python string expressions, e.g. /path/to/programname --port=80%(process_num)02d might expand to /path/to/programname --port=8000 at runtime. String expressions are evaluated against a dictionary containing the keys group_name, host_node_name, process_num, program_name, here (the directory of the supervisord config file), and all supervisord's environment variables prefixed with ENV_.",
  versions: 'supervisor 3.0 and later',
};

/**
 * The variables `environment=` sets (in `[supervisord]` or the program's own section) are in the
 * `ENV_` keys too: the program's `%(ENV_X)s` sees them, over supervisord's own environment.
 */
export const SUPERVISORD_ENVIRONMENT_EXPANDS: Source = {
  url: 'https://github.com/Supervisor/supervisor/blob/4.2.2/CHANGES.rst',
  quote:
    'Fixed a bug where environment variables defined in environment= in the [supervisord] section or a [program:x] section could not be used in %(ENV_x)s expansions.',
  versions: 'supervisor 4.2.2 (2021-02-26) and later',
};

/** `%%` is a literal `%` (Python's `%` formatting). */
export const SUPERVISORD_PERCENT: Source = {
  url: 'https://docs.python.org/3/library/stdtypes.html#printf-style-string-formatting',
  quote: "'%' No argument is converted, results in a '%' character in the result.",
};

/**
 * supervisord reads its configuration with configparser and inline comments on: a value ends at a
 * `;` or `#` that follows whitespace (`stopsignal=QUIT ; the uWSGI way` is QUIT).
 */
export const SUPERVISORD_INLINE_COMMENTS: { readonly value: readonly string[]; readonly source: Source } = {
  value: [';', '#'],
  source: {
    url: 'https://github.com/Supervisor/supervisor/blob/main/supervisor/options.py',
    quote:
      "class UnhosedConfigParser(ConfigParser.RawConfigParser): … if not PY2: if 'inline_comment_prefixes' not in kwargs: kwargs['inline_comment_prefixes'] = (';', '#')",
    versions: 'supervisor 4 on Python 3 (UnhosedConfigParser as on the main branch)',
  },
};
