/**
 * Gunicorn's settings vocabulary: every name a gunicorn config file (gunicorn.conf.py)
 * or the command line can set, with the value forms gunicorn's validators accept.
 *
 * Compiled by reading gunicorn's own sources and changelogs (benoitc/gunicorn):
 *   - gunicorn/config.py of the 26.2.0 release (version_info (26, 2, 0)): names, sections,
 *     flags, validators, defaults, hook arities; validators were also exercised directly
 *   - gunicorn/config.py of the 20.1.0 release (Debian's python3-gunicorn 20.1.0-6+deb12u1)
 *   - gunicorn/config.py @ 01bcdb1d126ee2f4f3f54c3144a6144d4dd56e3e (22.0 development) and
 *     @ 6a3bd70d2b6a8961f8bb1c16df58b4d7a3e83836 (19.x, still with django_settings)
 *   - docs/content/2014..2023-news.md, news.md @ 0077b0591672d5a86d617556408699a680b346b4,
 *     2026-news.md, the 25.x/26.x release notes, and PRs #3192, #3485, #3547
 * Values are expressed as data and descriptions are written for this project.
 *
 * Where the docs' "versionadded" disagrees with the releases, the release wins:
 * logconfig_json says 20.0 but first shipped in 21.0.0; asgi_disconnect_grace_period
 * and http_parser say 25.0.0 but arrived with PR #3485 (25.0.2) and PR #3547 (25.2.0).
 *
 * Checked again against the setting names of gunicorn/config.py at every release tag from 21.2.0 to
 * 26.1.0 (benoitc/gunicorn): 22.0.0 adds casefold_http_method, header_map,
 * permit_unconventional_http_method/_version, tolerate_dangerous_framing; 23.0.0 forwarder_headers,
 * permit_obsolete_folding (and drops tolerate_dangerous_framing); 24.0.0 asgi_lifespan, asgi_loop,
 * protocol, root_path, uwsgi_allow_ips; 24.1.0 enable_backlog_metric; 25.0.0 the dirty_* settings and
 * hooks, http_protocols, http2_* except http2_cleartext; 25.0.2 asgi_disconnect_grace_period; 25.1.0
 * control_socket*; 25.2.0 http_parser; nothing in 25.3.0, 26.0.0 or 26.1.0; http2_cleartext only after
 * 26.1.0. (A summary that puts asgi_disconnect_grace_period, control_socket* and http_parser in
 * 26.0.0 is wrong: the tags show the releases above.) The eventlet worker is deprecated in 25.0.0
 * and gone from SUPPORTED_WORKERS in 26.0.0; the asgi worker arrives in 24.0.0.
 *
 * Gunicorn matches config-file names exactly (lower case) and silently ignores any
 * module-level name it does not know, so helper variables and imports are harmless
 * but a misspelt setting has no effect at all.
 *
 * Versions are written as MAJOR.MINOR.PATCH; `since` is only given when the setting
 * first appeared after 19.0.0.
 */

import type { Source } from './facts';

/**
 * Value kinds, one per gunicorn validator family. Each comment says which Python
 * values a config file may assign (command-line values are always strings, then go
 * through the same validator).
 */
export type GunicornType =
  /** validate_pos_int: an int >= 0 (True/False count as 1/0) or a str read by int(s, 0), so '8', ' 8 ', '0x10', '0o22' work while '022', floats and negatives are errors. */
  | 'pos-int'
  /** Same validator as pos-int in a config file (write 0o022, not '022'); on the command line the value goes through auto_int first, so a leading 0 means octal ('022' -> 18). */
  | 'octal-int'
  /** pos-int parsing plus a range check; the inclusive bounds are in `range`. */
  | 'bounded-int'
  /** validate_bool: True, False, None, or a str equal to 'true'/'false' in any case (spaces trimmed); 1/0, 'yes', 'on' are rejected. As flags these are switches without a value. */
  | 'bool'
  /** validate_string: None or a str (surrounding whitespace stripped); any other type is a TypeError. */
  | 'string'
  /** validate_list_string: a falsy value gives []; a single str becomes [str]; otherwise a list/tuple of str. */
  | 'string-list'
  /** Like string-list, but every entry must be an existing path unless it contains *, ? or [ (a glob pattern, only warned about when it matches nothing). */
  | 'path-list'
  /** validate_string_to_list: ONE comma-separated str (None/'' give []); a Python list is rejected with "Not a string". */
  | 'comma-list'
  /** comma-list whose entries must each be '*' or an IP address / CIDR network (strict: '10.0.0.1/8' fails because host bits are set). A Python list is rejected. */
  | 'ip-list'
  /** A str from a fixed set listed in `choices` (case-insensitive except reload_engine); proxy_protocol and http2_cleartext also take True/False, and None gives the default. */
  | 'choice'
  /** ONE comma-separated str whose entries come from `choices`, in order of preference and without duplicates; a Python list is rejected. */
  | 'choice-list'
  /** validate_dict: a dict; anything else is a TypeError. */
  | 'dict'
  /** validate_class: a dotted import path or bundled short name (str), a class object, or a function/method returning one (it is called). */
  | 'class'
  /** validate_callable(n): a callable, or a 'module.attr' str that is imported; its count of positional parameters must equal `hookArity` exactly (post_request alone also accepts 2 or 3). */
  | 'hook'
  /** validate_user: an int uid, a str of digits, or a user name looked up with pwd (unknown names are a ConfigError); None means the current effective uid. */
  | 'uid'
  /** validate_group: an int gid, a str of digits, or a group name looked up with grp; None means the current effective gid. */
  | 'gid'
  /** validate_chdir: a str path, made absolute against the current directory, which must exist (ConfigError otherwise). */
  | 'dir'
  /** validate_statsd_address: None, 'HOST:PORT', 'HOST' (port 8125), or 'unix://PATH' (also legacy 'unix:PORT' as host 'unix'); releases before 21 used validate_hostport, which required exactly 'HOST:PORT'. */
  | 'host-port'
  /** No real validation: the value is kept as is (only ssl_version, which has been ignored since 21.0 and prints a warning when changed). */
  | 'any';

export interface GunicornSetting {
  /** Config-file name, e.g. 'workers'. */
  name: string;
  /** Gunicorn's own section title, e.g. 'Worker Processes'. */
  section: string;
  /** Command-line flags, e.g. ['-w', '--workers']; [] when the setting has none (config file only). */
  flags: string[];
  type: GunicornType;
  /** Gunicorn's documented default as Python source text; env- or platform-dependent defaults are described in words. */
  default: string;
  /** Environment variable gunicorn consults for the default (read once at import, or at run time for SENDFILE). */
  envDefault?: string;
  /** For hooks: the number of positional parameters the callable must take. */
  hookArity?: number;
  /** For 'choice' / 'choice-list': the accepted (normalised) values. */
  choices?: readonly string[];
  /** For 'bounded-int': inclusive [min, max]. */
  range?: readonly [number, number];
  /** How the flag takes its value: 'none' = a switch with no value, 'optional' = the value may be left out. Absent = the flag needs a value. */
  flagValue?: 'none' | 'optional';
  /** The flag may be given several times, each adding one list entry. */
  repeatable?: boolean;
  /** First gunicorn version that has the setting, only when later than 19.0.0. */
  since?: string;
  /** First gunicorn version that no longer has it (legacy names only; absent for current settings). */
  removedIn?: string;
  /** Present when gunicorn documents the setting as deprecated or temporary. */
  deprecated?: string;
  /** One sentence on what it does and what values look like. */
  summary: string;
}

/** The newest gunicorn release this data was checked against. */
export const GUNICORN_NEWEST_VERSION: string = '26.2.0';

/**
 * The release from which gunicorn validates each entry of forwarded_allow_ips and proxy_allow_ips
 * as an IP address when it loads the configuration (config.py validate_string_to_addr_list,
 * `ipaddress.ip_address(addr)` for every entry but "*", refusing to start on anything else; networks
 * accepted from 24.1.0): https://github.com/benoitc/gunicorn/blob/23.0.0/gunicorn/config.py. Older
 * releases split the string on commas (validate_string_to_list) and compare each entry with the
 * client's address as text, so an entry that is no address (`'*'` with its quotes) matches no client.
 */
export const GUNICORN_IP_LIST_VALIDATED_SINCE = '23.0.0';

/**
 * How many requests one worker of a gunicorn worker class serves at once: the sync worker (the
 * default) one, and gunicorn runs a sync worker given threads > 1 as gthread; gthread one per
 * thread (`threads`, default 1); the greenlet workers (gevent, eventlet), tornado, the asgi worker
 * and uvicorn's workers many, each in one process (an event loop or greenlets). Bundled names and
 * their dotted paths (`gunicorn.workers.sync.SyncWorker`); `evented` matches the classes named for
 * an event loop of their own (`uvicorn.workers.UvicornWorker`, `uvicorn_worker.UvicornWorker`).
 */
export const WORKER_CONCURRENCY: {
  readonly one: readonly string[];
  readonly perThread: readonly string[];
  readonly many: readonly string[];
  readonly evented: RegExp;
  readonly sources: readonly { readonly url: string; readonly quote: string; readonly versions?: string }[];
} = {
  one: ['sync', 'gunicorn.workers.sync.SyncWorker'],
  perThread: ['gthread', 'gunicorn.workers.gthread.ThreadWorker'],
  many: [
    'gevent',
    'gevent_wsgi',
    'gevent_pywsgi',
    'eventlet',
    'tornado',
    'asgi',
    'gunicorn.workers.ggevent.GeventWorker',
    'gunicorn.workers.ggevent.GeventPyWSGIWorker',
    'gunicorn.workers.geventlet.EventletWorker',
    'gunicorn.workers.gtornado.TornadoWorker',
    'gunicorn.workers.gasgi.ASGIWorker',
  ],
  evented: /uvicorn/i,
  sources: [
    {
      url: 'https://docs.gunicorn.org/en/stable/design.html#sync-workers',
      quote: 'The most basic and the default worker type is a synchronous worker class that handles a single request at a time.',
    },
    {
      url: 'https://docs.gunicorn.org/en/stable/design.html#asyncio-workers',
      quote:
        'The worker gthread is a threaded worker. It accepts connections in the main loop, accepted connections are added to the thread pool as a connection job.',
    },
    {
      url: 'https://docs.gunicorn.org/en/stable/settings.html#threads',
      quote:
        'If you try to use the sync worker type and set the threads setting to more than 1, the gthread worker type will be used instead.',
    },
    {
      url: 'https://docs.gunicorn.org/en/stable/design.html#async-workers',
      quote: 'The asynchronous workers available are based on Greenlets (via Eventlet and Gevent).',
    },
    {
      url: 'https://www.uvicorn.org/deployment/#gunicorn',
      quote: "Uvicorn includes a Gunicorn worker class allowing you to run ASGI applications, with all of Uvicorn's performance benefits",
    },
  ],
};

/**
 * What `forwarded_allow_ips` lets a trusted peer (with `*`, every client) make a gunicorn worker
 * believe, by worker class. Gunicorn's own workers (sync, gthread, gevent, eventlet, tornado, asgi)
 * read only the scheme from it: the secure_scheme_headers (X-Forwarded-Proto…) make the request's
 * `wsgi.url_scheme` https, and the forwarder_headers (SCRIPT_NAME, PATH_INFO by default) pass into
 * the environ; REMOTE_ADDR stays the connecting peer (or what a PROXY-protocol header from a
 * `proxy_allow_ips` peer says), never X-Forwarded-For (gunicorn 19.0 removed x_forwarded_for_header).
 * Uvicorn's gunicorn workers (`uvicorn.workers.UvicornWorker`, the uvicorn-worker package's
 * `uvicorn_worker.UvicornWorker`) hand the setting to uvicorn as its own forwarded_allow_ips, whose
 * ProxyHeadersMiddleware (on by default) rewrites the client address from X-Forwarded-For and the
 * scheme from X-Forwarded-Proto. `uvicorn` matches those classes' names (WORKER_CONCURRENCY.evented).
 */
export const FORWARDED_ALLOW_IPS_TRUST: {
  /** Gunicorn's own workers: the scheme (and forwarder_headers), not the address. */
  readonly own: { readonly believes: 'scheme'; readonly sources: readonly Source[] };
  /** Uvicorn's workers: the client address and the scheme. */
  readonly uvicorn: { readonly match: RegExp; readonly believes: 'address-and-scheme'; readonly sources: readonly Source[] };
  /** Gunicorn's documentation on `*`: for setups where other means keep everyone but the front-ends out. */
  readonly wildcard: Source;
} = {
  own: {
    believes: 'scheme',
    sources: [
      {
        url: 'https://github.com/benoitc/gunicorn/blob/26.1.0/gunicorn/http/message.py',
        quote:
          '_peer_trusted_for_forwarded: if (not isinstance(self.peer_addr, tuple) or _ip_in_allow_list(self.peer_addr[0], cfg.forwarded_allow_ips, cfg.forwarded_allow_networks())): return cfg.secure_scheme_headers, cfg.forwarder_headers / return {}, []',
        versions: '19.0 to 26.1.0 (the check is written differently in older releases, to the same effect)',
      },
      {
        url: 'https://github.com/benoitc/gunicorn/blob/26.1.0/gunicorn/http/wsgi.py',
        quote:
          "environ['wsgi.url_scheme'] = req.scheme … if isinstance(client, str): environ['REMOTE_ADDR'] = client … else: environ['REMOTE_ADDR'] = client[0] … environ.update(proxy_environ(req))",
        versions: '19.0 and later (18.0 still read x_forwarded_for_header)',
      },
    ],
  },
  uvicorn: {
    match: /uvicorn/i,
    believes: 'address-and-scheme',
    sources: [
      {
        url: 'https://github.com/encode/uvicorn/blob/0.35.0/uvicorn/workers.py',
        quote: 'config_kwargs: dict = { … "forwarded_allow_ips": self.cfg.forwarded_allow_ips, }',
      },
      {
        url: 'https://github.com/encode/uvicorn/blob/0.35.0/uvicorn/middleware/proxy_headers.py',
        quote:
          'if client_host in self.trusted_hosts: … if b"x-forwarded-proto" in headers: … scope["scheme"] = x_forwarded_proto … if b"x-forwarded-for" in headers: … scope["client"] = (host, port)',
      },
    ],
  },
  wildcard: {
    url: 'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips',
    quote:
      "Set to * to disable checking of front-end IPs. This is useful for setups where you don't know in advance the IP address of front-end, but instead have ensured via other means that only your authorized front-ends can access Gunicorn.",
  },
};

/**
 * What `forwarded_allow_ips` makes a gunicorn run of this worker class believe from a trusted peer
 * (FORWARDED_ALLOW_IPS_TRUST); undefined for a class outside gunicorn and uvicorn (a third party's),
 * whose handling is not known. `cls` as written, `egg:gunicorn#` allowed.
 */
export function forwardedTrustOf(cls: string): 'scheme' | 'address-and-scheme' | undefined {
  const name = cls
    .trim()
    .replace(/^egg:gunicorn#/, '')
    .toLowerCase();
  if (FORWARDED_ALLOW_IPS_TRUST.uvicorn.match.test(name)) return 'address-and-scheme';
  const own = [...WORKER_CONCURRENCY.one, ...WORKER_CONCURRENCY.perThread, ...WORKER_CONCURRENCY.many];
  return own.some((n) => n.toLowerCase() === name) ? 'scheme' : undefined;
}

/**
 * The request headers gunicorn reads as https by default (`secure_scheme_headers`), each with the
 * exact value it needs, X-Forwarded-Proto first: from a trusted peer (`forwarded_allow_ips`, a unix
 * socket's every peer) any one of them makes the request's `wsgi.url_scheme` https, which Django
 * reads when SECURE_PROXY_SSL_HEADER is not set. Unchanged from 19.x to 26.2.0 (gunicorn/config.py,
 * SecureSchemeHeader's default).
 */
export const GUNICORN_SECURE_SCHEME_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Forwarded-Proto', 'https'],
  ['X-Forwarded-Protocol', 'ssl'],
  ['X-Forwarded-Ssl', 'on'],
];

/**
 * Flags gunicorn's command line accepts that are not tied to any setting
 * (argparse's help flag and gunicorn's version flag).
 */
export const GUNICORN_FLAG_ALIASES: readonly { readonly flags: readonly string[]; readonly meaning: string }[] = [
  { flags: ['-h', '--help'], meaning: 'print the usage and every option, then exit' },
  { flags: ['-v', '--version'], meaning: 'print the gunicorn version, then exit' },
];

/**
 * All settings of gunicorn 26.2.0 in gunicorn's own order (119 entries), followed by
 * the legacy names that some release after 19.0 accepted but 26.2.0 no longer does
 * (marked with `removedIn`).
 */
export const GUNICORN_SETTINGS: readonly GunicornSetting[] = [
  {
    name: 'config',
    section: 'Config File',
    flags: ['-c', '--config'],
    type: 'string',
    default: "'./gunicorn.conf.py'",
    summary:
      "Path of the gunicorn config file to load, written as 'PATH', 'file:PATH' or 'python:MODULE_NAME'; only meaningful on the command line (or in an embedding app), and ./gunicorn.conf.py in the working directory is read when it exists.",
  },
  {
    name: 'wsgi_app',
    section: 'Config File',
    flags: [],
    type: 'string',
    default: 'None',
    since: '20.1.0',
    summary: "The WSGI application to serve, as 'MODULE:VARIABLE', so the positional APP argument can be left off the command line.",
  },
  {
    name: 'bind',
    section: 'Server Socket',
    flags: ['-b', '--bind'],
    type: 'string-list',
    default: "['0.0.0.0:$PORT'] if $PORT is set, else ['127.0.0.1:8000']",
    envDefault: 'PORT',
    repeatable: true,
    summary:
      "Socket(s) to listen on, each 'HOST', 'HOST:PORT', '[IPv6]:PORT', 'unix:PATH' or 'fd://N' (an inherited file descriptor); the flag may be repeated and the setting takes a list.",
  },
  {
    name: 'backlog',
    section: 'Server Socket',
    flags: ['--backlog'],
    type: 'pos-int',
    default: '2048',
    summary:
      'Maximum number of connections allowed to wait in the listen queue before new clients are refused; usually between 64 and 2048.',
  },
  {
    name: 'workers',
    section: 'Worker Processes',
    flags: ['-w', '--workers'],
    type: 'pos-int',
    default: '$WEB_CONCURRENCY or 1',
    envDefault: 'WEB_CONCURRENCY',
    summary:
      'Number of worker processes; when unset it comes from $WEB_CONCURRENCY, falling back to 1, and is commonly sized at 2-4 per CPU core.',
  },
  {
    name: 'worker_class',
    section: 'Worker Processes',
    flags: ['-k', '--worker-class'],
    type: 'class',
    default: "'sync'",
    summary:
      "Worker type: a bundled name ('sync', 'gthread', 'gevent', 'gevent_wsgi', 'gevent_pywsgi', 'tornado', 'asgi'; 'eventlet' was dropped in 26.0.0), a dotted path to a Worker subclass, or the class itself; sync with threads > 1 is switched to gthread.",
  },
  {
    name: 'threads',
    section: 'Worker Processes',
    flags: ['--threads'],
    type: 'pos-int',
    default: '1',
    summary: 'Threads per worker for the gthread worker; a value above 1 with the sync worker makes gunicorn use gthread instead.',
  },
  {
    name: 'worker_connections',
    section: 'Worker Processes',
    flags: ['--worker-connections'],
    type: 'pos-int',
    default: '1000',
    summary: 'Cap on simultaneous client connections per worker; used by the gthread, gevent and asgi workers, not by sync.',
  },
  {
    name: 'max_requests',
    section: 'Worker Processes',
    flags: ['--max-requests'],
    type: 'pos-int',
    default: '0',
    summary: 'Restart a worker after it has served this many requests (a guard against memory leaks); 0 turns the recycling off.',
  },
  {
    name: 'max_requests_jitter',
    section: 'Worker Processes',
    flags: ['--max-requests-jitter'],
    type: 'pos-int',
    default: '0',
    since: '19.2.0',
    summary: 'Random extra 0..N requests added per worker to max_requests so that workers do not all restart at the same moment.',
  },
  {
    name: 'timeout',
    section: 'Worker Processes',
    flags: ['-t', '--timeout'],
    type: 'pos-int',
    default: '30',
    summary:
      'Seconds a worker may stay silent before the master kills and replaces it; 0 disables the check, which is risky for sync workers.',
  },
  {
    name: 'graceful_timeout',
    section: 'Worker Processes',
    flags: ['--graceful-timeout'],
    type: 'pos-int',
    default: '30',
    summary: 'Seconds workers get to finish in-flight requests after a restart or shutdown signal before they are killed.',
  },
  {
    name: 'keepalive',
    section: 'Worker Processes',
    flags: ['--keep-alive'],
    type: 'pos-int',
    default: '2',
    summary:
      'Seconds an idle keep-alive connection is held open waiting for the next request; the sync worker ignores it, and it is worth raising behind a load balancer.',
  },
  {
    name: 'limit_request_line',
    section: 'Security',
    flags: ['--limit-request-line'],
    type: 'pos-int',
    default: '4094',
    summary: 'Maximum size in bytes of the HTTP request line (method, URI, version); 0 means unlimited, otherwise at most 8190.',
  },
  {
    name: 'limit_request_fields',
    section: 'Security',
    flags: ['--limit-request-fields'],
    type: 'pos-int',
    default: '100',
    summary: 'Maximum number of header fields accepted in one request (at most 32768).',
  },
  {
    name: 'limit_request_field_size',
    section: 'Security',
    flags: ['--limit-request-field_size'],
    type: 'pos-int',
    default: '8190',
    summary: 'Maximum size in bytes of a single request header field; 0 means unlimited, which invites denial-of-service.',
  },
  {
    name: 'reload',
    section: 'Debugging',
    flags: ['--reload'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    summary:
      'Development mode that restarts workers when source files change; it cannot be combined with preload_app and exposes load-time tracebacks to clients.',
  },
  {
    name: 'reload_engine',
    section: 'Debugging',
    flags: ['--reload-engine'],
    type: 'choice',
    default: "'auto'",
    choices: ['auto', 'poll', 'inotify'],
    since: '19.7.0',
    summary: "Which file watcher drives reload: 'auto', 'poll' or 'inotify' (the latter needs the inotify package).",
  },
  {
    name: 'reload_extra_files',
    section: 'Debugging',
    flags: ['--reload-extra-file'],
    type: 'path-list',
    default: '[]',
    repeatable: true,
    since: '19.8.0',
    summary:
      'Additional files to watch when reload is on; plain entries must exist, and since 26.1.0 entries containing *, ? or [ are glob patterns re-expanded on every check.',
  },
  {
    name: 'spew',
    section: 'Debugging',
    flags: ['--spew'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    summary: 'Install a trace function that prints every line the server executes; an extreme debugging aid.',
  },
  {
    name: 'check_config',
    section: 'Debugging',
    flags: ['--check-config'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    summary: 'Validate the configuration (and load the app) then exit with status 0 when it is valid or 1 when it is not.',
  },
  {
    name: 'print_config',
    section: 'Debugging',
    flags: ['--print-config'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '20.1.0',
    summary: 'Print every setting as finally resolved and exit; implies check_config.',
  },
  {
    name: 'preload_app',
    section: 'Server Mechanics',
    flags: ['--preload'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    summary:
      'Import the application in the master before forking workers, saving memory and start-up time at the cost of code reloads via worker restarts.',
  },
  {
    name: 'sendfile',
    section: 'Server Mechanics',
    flags: ['--no-sendfile'],
    type: 'bool',
    default: 'None',
    envDefault: 'SENDFILE',
    flagValue: 'none',
    since: '19.2.0',
    summary:
      'Set to False (flag --no-sendfile) to stop using sendfile() for file responses; when left as None, gunicorn uses sendfile unless $SENDFILE says otherwise.',
  },
  {
    name: 'reuse_port',
    section: 'Server Mechanics',
    flags: ['--reuse-port'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '19.8.0',
    summary: 'Set SO_REUSEPORT on the listening sockets.',
  },
  {
    name: 'chdir',
    section: 'Server Mechanics',
    flags: ['--chdir'],
    type: 'dir',
    default: "'.'",
    summary: 'Directory to change into before the application is loaded; it must exist.',
  },
  {
    name: 'daemon',
    section: 'Server Mechanics',
    flags: ['-D', '--daemon'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    summary: 'Detach from the terminal and run gunicorn in the background.',
  },
  {
    name: 'raw_env',
    section: 'Server Mechanics',
    flags: ['-e', '--env'],
    type: 'string-list',
    default: '[]',
    repeatable: true,
    summary: "Environment variables for the server and app, each a 'KEY=VALUE' string; the flag -e may be repeated.",
  },
  {
    name: 'pidfile',
    section: 'Server Mechanics',
    flags: ['-p', '--pid'],
    type: 'string',
    default: 'None',
    summary: "File to write the master's PID to; none is written when unset.",
  },
  {
    name: 'worker_tmp_dir',
    section: 'Server Mechanics',
    flags: ['--worker-tmp-dir'],
    type: 'string',
    default: 'None',
    summary: "Directory for each worker's heartbeat file; pointing it at a tmpfs such as /dev/shm avoids workers stalling on a slow disk.",
  },
  {
    name: 'user',
    section: 'Server Mechanics',
    flags: ['-u', '--user'],
    type: 'uid',
    default: 'os.geteuid()',
    summary: 'User the workers switch to, given as a numeric uid or a user name; defaults to the user gunicorn was started as.',
  },
  {
    name: 'group',
    section: 'Server Mechanics',
    flags: ['-g', '--group'],
    type: 'gid',
    default: 'os.getegid()',
    summary: 'Group the workers switch to, given as a numeric gid or a group name; defaults to the group gunicorn was started as.',
  },
  {
    name: 'umask',
    section: 'Server Mechanics',
    flags: ['-m', '--umask'],
    type: 'octal-int',
    default: '0',
    summary:
      'File mode mask for files gunicorn creates, including unix sockets; on the command line a leading 0 means octal (e.g. 022), in a config file write 0o022.',
  },
  {
    name: 'initgroups',
    section: 'Server Mechanics',
    flags: ['--initgroups'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '19.7.0',
    summary: "When switching user, also load all supplementary groups of that user into the worker's group list.",
  },
  {
    name: 'tmp_upload_dir',
    section: 'Server Mechanics',
    flags: [],
    type: 'string',
    default: 'None',
    summary:
      "Directory for temporarily storing request bodies as they are read; documented as likely to go away, and not read anywhere in 26.2.0's code.",
  },
  {
    name: 'secure_scheme_headers',
    section: 'Server Mechanics',
    flags: [],
    type: 'dict',
    default: "{'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on'}",
    summary:
      "Map of upper-case request header names to exact values that, when sent by a trusted proxy (see forwarded_allow_ips), mark the request as HTTPS (wsgi.url_scheme='https').",
  },
  {
    name: 'forwarded_allow_ips',
    section: 'Server Mechanics',
    flags: ['--forwarded-allow-ips'],
    type: 'ip-list',
    default: "$FORWARDED_ALLOW_IPS or '127.0.0.1,::1'",
    envDefault: 'FORWARDED_ALLOW_IPS',
    summary:
      "Proxy addresses trusted to set secure_scheme_headers and forwarder_headers, as one comma-separated string of IPs or (since 24.1.0) CIDR networks, or '*' to trust every peer; a Python list is rejected.",
  },
  {
    name: 'accesslog',
    section: 'Logging',
    flags: ['--access-logfile'],
    type: 'string',
    default: 'None',
    summary: "Access log destination: a file path, or '-' for stdout; no access log is written when unset.",
  },
  {
    name: 'disable_redirect_access_to_syslog',
    section: 'Logging',
    flags: ['--disable-redirect-access-to-syslog'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '19.8.0',
    summary: 'Keep access log lines out of syslog even when syslog logging is on.',
  },
  {
    name: 'access_log_format',
    section: 'Logging',
    flags: ['--access-logformat'],
    type: 'string',
    default: '\'%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"\'',
    summary:
      'printf-style template for access log lines built from %(x)s atoms such as h (remote address), r (request line), s (status), b (size), f (referer), a (user agent), T/M/D/L (duration) and {name}i/o/e for request headers, response headers and environ.',
  },
  {
    name: 'errorlog',
    section: 'Logging',
    flags: ['--error-logfile', '--log-file'],
    type: 'string',
    default: "'-'",
    summary: "Error log destination: a file path, or '-' for stderr (the default).",
  },
  {
    name: 'loglevel',
    section: 'Logging',
    flags: ['--log-level'],
    type: 'string',
    default: "'info'",
    summary: "Error log verbosity: 'debug', 'info', 'warning', 'error' or 'critical'.",
  },
  {
    name: 'capture_output',
    section: 'Logging',
    flags: ['--capture-output'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '19.6.0',
    summary: "Send the application's stdout and stderr into the error log file.",
  },
  {
    name: 'logger_class',
    section: 'Logging',
    flags: ['--logger-class'],
    type: 'class',
    default: "'gunicorn.glogging.Logger'",
    summary:
      'Logger implementation as a dotted path to a class behaving like gunicorn.glogging.Logger; it becomes the statsd logger automatically when statsd_host is set.',
  },
  {
    name: 'logconfig',
    section: 'Logging',
    flags: ['--log-config'],
    type: 'string',
    default: 'None',
    summary: "Path of a logging configuration file in the standard library's fileConfig (ini) format.",
  },
  {
    name: 'logconfig_dict',
    section: 'Logging',
    flags: [],
    type: 'dict',
    default: '{}',
    since: '19.8.0',
    summary:
      'Logging configuration as a dictConfig dictionary; it wins over logconfig and logconfig_json and can only be set in a config file.',
  },
  {
    name: 'logconfig_json',
    section: 'Logging',
    flags: ['--log-config-json'],
    type: 'string',
    default: 'None',
    since: '21.0.0',
    summary: 'Path of a JSON file holding a dictConfig-style logging configuration.',
  },
  {
    name: 'syslog_addr',
    section: 'Logging',
    flags: ['--log-syslog-to'],
    type: 'string',
    default:
      "'udp://localhost:514' on Linux and most platforms; 'unix:///var/run/syslog' on macOS, 'unix:///var/run/log' on FreeBSD/DragonFly, 'unix:///dev/log' on OpenBSD",
    summary: "Where syslog messages go: 'unix://PATH#TYPE' (TYPE stream or dgram), 'udp://HOST:PORT' or 'tcp://HOST:PORT'.",
  },
  {
    name: 'syslog',
    section: 'Logging',
    flags: ['--log-syslog'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    summary: "Also send gunicorn's logs to syslog.",
  },
  {
    name: 'syslog_prefix',
    section: 'Logging',
    flags: ['--log-syslog-prefix'],
    type: 'string',
    default: 'None',
    summary: 'Program name used in syslog entries, which then appear as gunicorn.<prefix>.',
  },
  {
    name: 'syslog_facility',
    section: 'Logging',
    flags: ['--log-syslog-facility'],
    type: 'string',
    default: "'user'",
    summary: "Syslog facility name, such as 'user' or 'local0'.",
  },
  {
    name: 'enable_stdio_inheritance',
    section: 'Logging',
    flags: ['-R', '--enable-stdio-inheritance'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    summary: 'In daemon mode, let the process keep inheriting the stdio file descriptors.',
  },
  {
    name: 'statsd_host',
    section: 'Logging',
    flags: ['--statsd-host'],
    type: 'host-port',
    default: 'None',
    since: '19.1.0',
    summary:
      "StatsD server to send metrics to, as 'HOST:PORT' (port 8125 when omitted) or 'unix://PATH'; setting it switches the default logger to the statsd logger.",
  },
  {
    name: 'dogstatsd_tags',
    section: 'Logging',
    flags: ['--dogstatsd-tags'],
    type: 'string',
    default: "''",
    since: '20.0.0',
    summary: "Comma-separated DogStatsD tags (e.g. 'env:prod,app:web') appended to every metric.",
  },
  {
    name: 'statsd_prefix',
    section: 'Logging',
    flags: ['--statsd-prefix'],
    type: 'string',
    default: "''",
    since: '19.2.0',
    summary: 'Prefix put in front of every StatsD metric name; a trailing dot is added when missing.',
  },
  {
    name: 'enable_backlog_metric',
    section: 'Logging',
    flags: ['--enable-backlog-metric'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '24.1.0',
    summary: 'Emit a gunicorn.backlog metric with the number of connections waiting in the listen queue (Linux only).',
  },
  {
    name: 'proc_name',
    section: 'Process Naming',
    flags: ['-n', '--name'],
    type: 'string',
    default: 'None',
    summary: 'Base process title shown by ps and top (needs the setproctitle package); default_proc_name is used when unset.',
  },
  {
    name: 'default_proc_name',
    section: 'Process Naming',
    flags: [],
    type: 'string',
    default: "'gunicorn'",
    summary: 'Internal fallback process title that gunicorn adjusts per application type; not meant to be set by users.',
  },
  {
    name: 'pythonpath',
    section: 'Server Mechanics',
    flags: ['--pythonpath'],
    type: 'string',
    default: 'None',
    summary: 'Comma-separated directories to add to sys.path before the application is imported.',
  },
  {
    name: 'paste',
    section: 'Server Mechanics',
    flags: ['--paste', '--paster'],
    type: 'string',
    default: 'None',
    summary:
      "Load the application from a PasteDeploy ini file, optionally choosing an app section with '#name' (e.g. 'production.ini#admin').",
  },
  {
    name: 'on_starting',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def on_starting(server): pass',
    hookArity: 1,
    summary: 'Hook on_starting(server): runs in the master just before it initialises.',
  },
  {
    name: 'on_reload',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def on_reload(server): pass',
    hookArity: 1,
    summary: 'Hook on_reload(server): runs in the master when a SIGHUP reload recycles the workers.',
  },
  {
    name: 'when_ready',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def when_ready(server): pass',
    hookArity: 1,
    summary: 'Hook when_ready(server): runs in the master right after the server has started.',
  },
  {
    name: 'pre_fork',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def pre_fork(server, worker): pass',
    hookArity: 2,
    summary: 'Hook pre_fork(server, worker): runs in the master just before a worker is forked.',
  },
  {
    name: 'post_fork',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def post_fork(server, worker): pass',
    hookArity: 2,
    summary: 'Hook post_fork(server, worker): runs in the new worker process right after the fork.',
  },
  {
    name: 'post_worker_init',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def post_worker_init(worker): pass',
    hookArity: 1,
    summary: 'Hook post_worker_init(worker): runs in a worker once it has loaded the application.',
  },
  {
    name: 'worker_int',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def worker_int(worker): pass',
    hookArity: 1,
    summary: 'Hook worker_int(worker): runs in a worker that has just exited on SIGINT or SIGQUIT.',
  },
  {
    name: 'worker_abort',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def worker_abort(worker): pass',
    hookArity: 1,
    summary: 'Hook worker_abort(worker): runs in a worker that received SIGABRT, which usually means it hit the timeout.',
  },
  {
    name: 'pre_exec',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def pre_exec(server): pass',
    hookArity: 1,
    summary: "Hook pre_exec(server): runs just before a new master process is exec'd during a binary upgrade (USR2).",
  },
  {
    name: 'pre_request',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def pre_request(worker, req): worker.log.debug("%s %s", req.method, req.path)',
    hookArity: 2,
    summary:
      'Hook pre_request(worker, req): runs in the worker just before it handles a request; the default logs the method and path at debug level.',
  },
  {
    name: 'post_request',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def post_request(worker, req, environ, resp): pass',
    hookArity: 4,
    summary:
      'Hook post_request(worker, req, environ, resp): runs after a request is handled; callables taking 2, 3 or 4 arguments are all accepted.',
  },
  {
    name: 'child_exit',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def child_exit(server, worker): pass',
    hookArity: 2,
    since: '19.7.0',
    summary: 'Hook child_exit(server, worker): runs in the master right after a worker has exited.',
  },
  {
    name: 'worker_exit',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def worker_exit(server, worker): pass',
    hookArity: 2,
    summary: 'Hook worker_exit(server, worker): runs in the worker process as it exits.',
  },
  {
    name: 'nworkers_changed',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def nworkers_changed(server, new_value, old_value): pass',
    hookArity: 3,
    summary:
      'Hook nworkers_changed(server, new_value, old_value): runs after the number of workers changes; old_value is None the first time.',
  },
  {
    name: 'on_exit',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def on_exit(server): pass',
    hookArity: 1,
    summary: 'Hook on_exit(server): runs just before gunicorn exits.',
  },
  {
    name: 'ssl_context',
    section: 'Server Hooks',
    flags: [],
    type: 'hook',
    default: 'def ssl_context(config, default_ssl_context_factory): return default_ssl_context_factory()',
    hookArity: 2,
    since: '21.0.0',
    summary:
      'Hook ssl_context(config, default_ssl_context_factory): must return the SSLContext to use, typically by calling the factory and adjusting the result (e.g. minimum TLS version).',
  },
  {
    name: 'proxy_protocol',
    section: 'Server Mechanics',
    flags: ['--proxy-protocol'],
    type: 'choice',
    default: "'off'",
    choices: ['off', 'v1', 'v2', 'auto'],
    flagValue: 'optional',
    summary:
      "Accept the HAProxy PROXY protocol header: 'off', 'v1', 'v2' or 'auto'; the bare flag --proxy-protocol means 'auto', True maps to 'auto', and before 24.1.0 this was a plain on/off boolean.",
  },
  {
    name: 'proxy_allow_ips',
    section: 'Server Mechanics',
    flags: ['--proxy-allow-from'],
    type: 'ip-list',
    default: "'127.0.0.1,::1'",
    summary:
      "Peers allowed to send a PROXY protocol header, as one comma-separated string of IPs or CIDR networks, or '*' for any; a Python list is rejected.",
  },
  {
    name: 'protocol',
    section: 'Server Mechanics',
    flags: ['--protocol'],
    type: 'string',
    default: "'http'",
    since: '24.0.0',
    summary: "Wire protocol spoken on the listening sockets: 'http' or 'uwsgi' (for nginx uwsgi_pass).",
  },
  {
    name: 'uwsgi_allow_ips',
    section: 'Server Mechanics',
    flags: ['--uwsgi-allow-from'],
    type: 'ip-list',
    default: "'127.0.0.1,::1'",
    since: '24.0.0',
    summary: "Peers allowed to send uwsgi-protocol requests, as one comma-separated string of IPs, or '*' for any.",
  },
  {
    name: 'keyfile',
    section: 'SSL',
    flags: ['--keyfile'],
    type: 'string',
    default: 'None',
    summary: 'Path of the TLS private key file; setting keyfile or certfile turns HTTPS on.',
  },
  {
    name: 'certfile',
    section: 'SSL',
    flags: ['--certfile'],
    type: 'string',
    default: 'None',
    summary: 'Path of the TLS certificate file; setting keyfile or certfile turns HTTPS on.',
  },
  {
    name: 'ssl_version',
    section: 'SSL',
    flags: ['--ssl-version'],
    type: 'any',
    default: 'ssl.PROTOCOL_TLS',
    deprecated: '21.0.0: ignored (warns when set); use ssl_context',
    summary: 'TLS protocol version; deprecated since 21.0 and ignored (a warning is printed when set), use the ssl_context hook instead.',
  },
  {
    name: 'cert_reqs',
    section: 'SSL',
    flags: ['--cert-reqs'],
    type: 'pos-int',
    default: 'ssl.CERT_NONE',
    summary: 'Whether clients must present a certificate: 0 none, 1 optional, 2 required (the ssl.CERT_* values).',
  },
  {
    name: 'ca_certs',
    section: 'SSL',
    flags: ['--ca-certs'],
    type: 'string',
    default: 'None',
    summary: 'Path of the CA certificates file used to verify client certificates.',
  },
  {
    name: 'suppress_ragged_eofs',
    section: 'SSL',
    flags: ['--suppress-ragged-eofs'],
    type: 'bool',
    default: 'True',
    flagValue: 'none',
    summary: 'Treat a TLS connection closed without a proper shutdown as a normal end of file (passed to the ssl module).',
  },
  {
    name: 'do_handshake_on_connect',
    section: 'SSL',
    flags: ['--do-handshake-on-connect'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    summary: 'Perform the TLS handshake as soon as a connection is accepted rather than on first read or write.',
  },
  {
    name: 'ciphers',
    section: 'SSL',
    flags: ['--ciphers'],
    type: 'string',
    default: 'None',
    summary: "OpenSSL cipher list string for TLS; Python's default list is used when unset.",
  },
  {
    name: 'http_protocols',
    section: 'HTTP/2',
    flags: ['--http-protocols'],
    type: 'choice-list',
    default: "'h1'",
    choices: ['h1', 'h2', 'h3'],
    since: '25.0.0',
    summary:
      "HTTP versions to offer, as one comma-separated string in order of preference, e.g. 'h2,h1'; 'h2' needs TLS with ALPN (or http2_cleartext) and the h2 package, and 'h3' is reserved.",
  },
  {
    name: 'http2_cleartext',
    section: 'HTTP/2',
    flags: ['--http2-cleartext'],
    type: 'choice',
    default: "'off'",
    choices: ['off', 'prior-knowledge', 'upgrade', 'both'],
    since: '26.2.0',
    summary:
      "Whether to accept HTTP/2 without TLS (h2c) from trusted peers (forwarded_allow_ips): 'off', 'prior-knowledge', 'upgrade' or 'both'; True means 'prior-knowledge', and it is ignored when TLS is configured.",
  },
  {
    name: 'http2_max_concurrent_streams',
    section: 'HTTP/2',
    flags: ['--http2-max-concurrent-streams'],
    type: 'pos-int',
    default: '100',
    since: '25.0.0',
    summary: 'Maximum number of concurrent HTTP/2 streams per connection.',
  },
  {
    name: 'http2_initial_window_size',
    section: 'HTTP/2',
    flags: ['--http2-initial-window-size'],
    type: 'pos-int',
    default: '65535',
    since: '25.0.0',
    summary: 'Initial HTTP/2 flow-control window in bytes (up to 2^31-1).',
  },
  {
    name: 'http2_max_frame_size',
    section: 'HTTP/2',
    flags: ['--http2-max-frame-size'],
    type: 'bounded-int',
    default: '16384',
    range: [16384, 16777215],
    since: '25.0.0',
    summary: 'Largest HTTP/2 frame payload accepted, in bytes, between 16384 and 16777215.',
  },
  {
    name: 'http2_max_header_list_size',
    section: 'HTTP/2',
    flags: ['--http2-max-header-list-size'],
    type: 'pos-int',
    default: '65536',
    since: '25.0.0',
    summary: 'Maximum decompressed HTTP/2 header list size in bytes, a guard against HPACK bombs; 0 means unlimited.',
  },
  {
    name: 'raw_paste_global_conf',
    section: 'Server Mechanics',
    flags: ['--paste-global'],
    type: 'string-list',
    default: '[]',
    repeatable: true,
    since: '19.7.0',
    summary: "PasteDeploy global variables as 'KEY=VALUE' strings; the flag may be repeated.",
  },
  {
    name: 'permit_obsolete_folding',
    section: 'Server Mechanics',
    flags: ['--permit-obsolete-folding'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '23.0.0',
    summary: 'Accept request headers that use obsolete line folding; a temporary diagnostic switch that may change or disappear.',
  },
  {
    name: 'strip_header_spaces',
    section: 'Server Mechanics',
    flags: ['--strip-header-spaces'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '20.0.1',
    deprecated: 'documented as deprecated and scheduled for removal (still present in 26.2.0)',
    summary: 'Tolerate whitespace between a header name and its colon; known to enable request smuggling and marked deprecated.',
  },
  {
    name: 'permit_unconventional_http_method',
    section: 'Server Mechanics',
    flags: ['--permit-unconventional-http-method'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '22.0.0',
    deprecated: 'documented as temporary and scheduled for removal (still present in 26.2.0)',
    summary:
      'Accept request methods outside the usual conventions (lowercase, very short or long, containing #); a temporary diagnostic switch.',
  },
  {
    name: 'permit_unconventional_http_version',
    section: 'Server Mechanics',
    flags: ['--permit-unconventional-http-version'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '22.0.0',
    summary: 'Accept unusual HTTP version strings in the request line; a temporary diagnostic switch.',
  },
  {
    name: 'casefold_http_method',
    section: 'Server Mechanics',
    flags: ['--casefold-http-method'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '22.0.0',
    deprecated: 'documented as deprecated and scheduled for removal (still present in 26.2.0)',
    summary: 'Upper-case incoming request methods as gunicorn did before 22.0; deprecated.',
  },
  {
    name: 'forwarder_headers',
    section: 'Server Mechanics',
    flags: ['--forwarder-headers'],
    type: 'comma-list',
    default: "'SCRIPT_NAME,PATH_INFO'",
    since: '23.0.0',
    summary:
      'Upper-case header names (one comma-separated string) that trusted proxies in forwarded_allow_ips may use to set environ keys such as SCRIPT_NAME, PATH_INFO or REMOTE_USER.',
  },
  {
    name: 'header_map',
    section: 'Server Mechanics',
    flags: ['--header-map'],
    type: 'choice',
    default: "'drop'",
    choices: ['drop', 'refuse', 'dangerous'],
    since: '22.0.0',
    summary:
      "What to do with header names that cannot be mapped to environ unambiguously (e.g. containing underscores): 'drop' them, 'refuse' the request, or 'dangerous' to map them anyway.",
  },
  {
    name: 'asgi_loop',
    section: 'Worker Processes',
    flags: ['--asgi-loop'],
    type: 'choice',
    default: "'auto'",
    choices: ['auto', 'asyncio', 'uvloop'],
    since: '24.0.0',
    summary: "Event loop for the asgi worker: 'auto' (uvloop when installed), 'asyncio' or 'uvloop'.",
  },
  {
    name: 'asgi_lifespan',
    section: 'Worker Processes',
    flags: ['--asgi-lifespan'],
    type: 'choice',
    default: "'auto'",
    choices: ['auto', 'on', 'off'],
    since: '24.0.0',
    summary: "ASGI lifespan protocol handling for the asgi worker: 'auto' (detect support), 'on' (required) or 'off'.",
  },
  {
    name: 'asgi_disconnect_grace_period',
    section: 'Worker Processes',
    flags: ['--asgi-disconnect-grace-period'],
    type: 'pos-int',
    default: '3',
    since: '25.0.2',
    summary: 'Seconds an ASGI app gets after a client disconnect to clean up before its request task is cancelled; 0 cancels at once.',
  },
  {
    name: 'http_parser',
    section: 'Worker Processes',
    flags: ['--http-parser'],
    type: 'choice',
    default: "'auto'",
    choices: ['auto', 'fast', 'python'],
    since: '25.2.0',
    summary: "HTTP/1 parser to use: 'auto' (the gunicorn_h1c C extension when installed), 'fast' (require it) or 'python'.",
  },
  {
    name: 'root_path',
    section: 'Server Mechanics',
    flags: ['--root-path'],
    type: 'string',
    default: "''",
    since: '24.0.0',
    summary: "ASGI root_path, the URL prefix the app is mounted under behind a proxy (e.g. '/api').",
  },
  {
    name: 'dirty_apps',
    section: 'Dirty Arbiters',
    flags: ['--dirty-app'],
    type: 'string-list',
    default: '[]',
    repeatable: true,
    since: '25.0.0',
    summary:
      "Apps for the dirty worker pool, each 'MODULE:CLASS' or 'MODULE:CLASS:N' to load it in only N dirty workers; the flag --dirty-app may be repeated.",
  },
  {
    name: 'dirty_workers',
    section: 'Dirty Arbiters',
    flags: ['--dirty-workers'],
    type: 'pos-int',
    default: '0',
    since: '25.0.0',
    summary: 'Number of dirty worker processes for long blocking tasks; 0 (the default) disables the dirty arbiter.',
  },
  {
    name: 'dirty_timeout',
    section: 'Dirty Arbiters',
    flags: ['--dirty-timeout'],
    type: 'pos-int',
    default: '300',
    since: '25.0.0',
    summary: 'Seconds a dirty task may run before its worker is considered stuck and killed; 0 disables the check.',
  },
  {
    name: 'dirty_threads',
    section: 'Dirty Arbiters',
    flags: ['--dirty-threads'],
    type: 'pos-int',
    default: '1',
    since: '25.0.0',
    summary: 'Threads per dirty worker process.',
  },
  {
    name: 'dirty_graceful_timeout',
    section: 'Dirty Arbiters',
    flags: ['--dirty-graceful-timeout'],
    type: 'pos-int',
    default: '30',
    since: '25.0.0',
    summary: 'Seconds dirty workers get to finish their tasks on shutdown before being killed.',
  },
  {
    name: 'on_dirty_starting',
    section: 'Dirty Arbiter Hooks',
    flags: [],
    type: 'hook',
    default: 'def on_dirty_starting(arbiter): pass',
    hookArity: 1,
    since: '25.0.0',
    summary: 'Hook on_dirty_starting(arbiter): runs just before the dirty arbiter process initialises.',
  },
  {
    name: 'dirty_post_fork',
    section: 'Dirty Arbiter Hooks',
    flags: [],
    type: 'hook',
    default: 'def dirty_post_fork(arbiter, worker): pass',
    hookArity: 2,
    since: '25.0.0',
    summary: 'Hook dirty_post_fork(arbiter, worker): runs right after a dirty worker is forked.',
  },
  {
    name: 'dirty_worker_init',
    section: 'Dirty Arbiter Hooks',
    flags: [],
    type: 'hook',
    default: 'def dirty_worker_init(worker): pass',
    hookArity: 1,
    since: '25.0.0',
    summary: 'Hook dirty_worker_init(worker): runs once a dirty worker has loaded all its apps.',
  },
  {
    name: 'dirty_worker_exit',
    section: 'Dirty Arbiter Hooks',
    flags: [],
    type: 'hook',
    default: 'def dirty_worker_exit(arbiter, worker): pass',
    hookArity: 2,
    since: '25.0.0',
    summary: 'Hook dirty_worker_exit(arbiter, worker): runs when a dirty worker exits.',
  },
  {
    name: 'control_socket',
    section: 'Control',
    flags: ['--control-socket'],
    type: 'string',
    default: "'$XDG_RUNTIME_DIR/gunicorn.ctl' if $XDG_RUNTIME_DIR is a directory, else '$HOME/.gunicorn/gunicorn.ctl'",
    envDefault: 'XDG_RUNTIME_DIR',
    since: '25.1.0',
    summary: 'Path of the unix socket that the gunicornc control tool connects to; its parent directory is created if needed.',
  },
  {
    name: 'control_socket_mode',
    section: 'Control',
    flags: ['--control-socket-mode'],
    type: 'octal-int',
    default: '0o600',
    since: '25.1.0',
    summary:
      'Permission bits of the control socket, e.g. 0o600 (owner only) or 0o660 (group too); on the command line a leading 0 means octal.',
  },
  {
    name: 'control_socket_disable',
    section: 'Control',
    flags: ['--no-control-socket'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '25.1.0',
    summary: 'Do not create the control socket (flag --no-control-socket), e.g. on read-only filesystems or when gunicornc is not used.',
  },
  {
    name: 'django_settings',
    section: 'Django',
    flags: ['--settings'],
    type: 'string',
    default: 'None',
    removedIn: '19.7.0',
    summary:
      'Removed Django-specific setting naming the settings module (like DJANGO_SETTINGS_MODULE); deprecated in favour of raw_env and dropped in 19.7.0.',
  },
  {
    name: 'tolerate_dangerous_framing',
    section: 'Server Mechanics',
    flags: ['--tolerate-dangerous-framing'],
    type: 'bool',
    default: 'False',
    flagValue: 'none',
    since: '22.0.0',
    removedIn: '23.0.0',
    summary:
      'Short-lived switch to process requests carrying both Transfer-Encoding and Content-Length; present only in 22.0.0 and removed in 23.0.0.',
  },
];
