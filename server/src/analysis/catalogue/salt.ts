// What SaltStack does with a state tree and its pillar: a `file.managed` state renders the template
// its `source` names (`salt://…`, a path in the file roots) to the file its `name` gives, filling in
// the `context` and `defaults` it passes and the minion's pillar; the pillar a minion gets is the one
// its pillar top file maps to it. Read by readers/salt.ts, which the project model uses to read a
// template the state tree renders as the file it becomes (a supervisord program, an nginx site).
import type { Source } from './facts';

/** The state functions that write a managed file (`file.managed`, or `file:` with `- managed`). */
export const SALT_FILE_MANAGED: Source = {
  url: 'https://docs.saltproject.io/en/3006/ref/states/all/salt.states.file.html#salt.states.file.managed',
  quote:
    'name: The location of the file to manage … source: The source file to download to the minion … if the file is located on the master in the directory named spam, and is called eggs, the source string is salt://spam/eggs … A list of sources can also be passed in to provide a default source and a set of fallbacks. The first source in the list that is found to exist will be used … template: If this setting is applied, the named templating engine will be used to render the downloaded file. … context: Overrides default context variables passed to the template. defaults: Default context passed to the template.',
  versions: 'Salt 3006',
};

/** The template engines `template:` names whose `{{ … }}` and `{% … %}` the analysis reads (Jinja). */
export const SALT_JINJA_TEMPLATES: ReadonlySet<string> = new Set(['jinja', 'jinja2']);

/** The state function's name, as a state writes it in its short form (`file.managed`) or its long form (`file:` then `- managed`). */
export const SALT_MANAGED_FUNCTION = { module: 'file', fn: 'managed' } as const;

/**
 * `salt://path` names `path` under the file roots of the environment: the state tree, whose root
 * holds the state top file (`top.sls`, /srv/salt by default).
 */
export const SALT_FILE_ROOTS: Source = {
  url: 'https://docs.saltproject.io/en/3006/ref/file_server/file_roots.html',
  quote:
    "The environment setting is a list of directories to publish files from. These directories are searched in order to find the specified file and the first file found is returned. … file_roots: base: - /srv/salt/base - /srv/salt/failover … If a file's URI is salt://httpd/httpd.conf, it will first search for the file at /srv/salt/base/httpd/httpd.conf.",
  versions: 'Salt 3006',
};

/** The file name of a state tree's or a pillar tree's top file. */
export const SALT_TOP_FILE = 'top.sls';

/**
 * The pillar a minion gets: the SLS files its pillar top file maps to it (an environment's targets,
 * each a glob, a grain or another matcher, and the pillar files it gets), merged in the top file's
 * order, a later file's key replacing an earlier one's and mappings merged recursively (the default
 * `pillar_source_merging_strategy: smart`). A template sees it as `pillar` (`pillar['key']`,
 * `pillar.get('key')`, `salt['pillar.get']('key')`, nested keys joined by `:`).
 */
export const SALT_PILLAR: Source = {
  url: 'https://docs.saltproject.io/en/3006/topics/pillar/index.html',
  quote:
    "The pillar data is then mapped to minions based on matchers in a top file which is laid out in the same way as the state top file. … If the same pillar key is defined in multiple pillar SLS files, and the keys in both files refer to nested dictionaries, then the content from these dictionaries will be recursively merged. … {{ pillar['foo'] }} … {{ salt['pillar.get']('foo:bar:baz', 'qux') }}",
  versions: 'Salt 3006',
};

/** The folder name a pillar tree is kept under in a repository beside its state tree (`conf/pillar/`, `pillar/`). */
export const SALT_PILLAR_FOLDER = 'pillar';

/**
 * What the file a state renders is, by where it is written on the server: a supervisord program
 * (the Debian package's supervisord.conf includes /etc/supervisor/conf.d/*.conf; EPEL's,
 * /etc/supervisord.d/*.ini), an nginx configuration (/etc/nginx/, the Debian package's
 * sites-enabled and conf.d), a systemd unit (/etc/systemd/system/*.service). Any other file keeps
 * the kind its own name gives.
 */
export const RENDERED_CONFIG_PLACES: readonly {
  readonly kind: 'appconfig' | 'proxy' | 'systemd';
  /** Where such a file is written (a path's beginning, or a folder in it). */
  readonly test: (dest: string) => boolean;
  readonly source: Source;
}[] = [
  {
    kind: 'appconfig',
    test: (dest) => /(^|\/)etc\/supervisor(d?\.d|\/conf\.d)\//.test(dest) || /(^|\/)supervisor(d)?\/[^/]*\.(conf|ini)$/.test(dest),
    source: {
      url: 'https://supervisord.org/configuration.html#include-section-settings',
      quote:
        '[include] files … If the file being included contains a section named [program:x] … (Debian’s supervisord.conf: [include] files = /etc/supervisor/conf.d/*.conf)',
      versions: 'supervisor 4.2 (Debian 12)',
    },
  },
  {
    kind: 'proxy',
    test: (dest) => /(^|\/)etc\/nginx\//.test(dest),
    source: {
      url: 'https://nginx.org/en/docs/beginners_guide.html',
      quote:
        'the configuration file is named nginx.conf and placed in the directory /usr/local/nginx/conf, /etc/nginx, or /usr/local/etc/nginx. (Debian’s nginx.conf: include /etc/nginx/conf.d/*.conf; include /etc/nginx/sites-enabled/*;)',
      versions: 'nginx 1.22 (Debian 12)',
    },
  },
  {
    kind: 'systemd',
    test: (dest) => /(^|\/)systemd\/system\/[^/]+\.service$/.test(dest),
    source: {
      url: 'https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html#Unit%20File%20Load%20Path',
      quote: '/etc/systemd/system: System units created by the administrator',
      versions: 'systemd 252',
    },
  },
];
