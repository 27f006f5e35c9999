// Walks a workspace folder once and sorts the files the analysis cares about into kinds. Bounded:
// it skips virtualenvs, node_modules, VCS and cache folders and what git ignores, follows each real
// directory once (symlink loops end), and stops after a fixed number of entries, saying so.
import * as path from 'node:path';
import { type DirEntry, isWithin, type FileSystem } from './fs';
import { GitIgnore } from './gitignore';

export type FileKind =
  | 'manage'
  | 'wsgi'
  | 'asgi'
  | 'settings'
  | 'python'
  | 'gunicorn'
  | 'procfile'
  | 'dockerfile'
  | 'compose'
  | 'systemd'
  | 'dotenv'
  | 'shell'
  | 'requirements'
  | 'pyproject'
  | 'pipfile'
  | 'setupcfg'
  | 'setuppy'
  | 'lockfile'
  | 'ci'
  | 'precommit'
  | 'urls'
  | 'rollback'
  | 'config'
  /** A YAML file that may be a Kubernetes manifest (its content says: apiVersion and kind). */
  | 'manifest'
  /** An ini or conf file that may configure uWSGI, supervisord or Circus (its content says). */
  | 'appconfig'
  /**
   * An nginx file other than nginx.conf (`*.conf`, `*.nginx`, a template of one: `*.template`,
   * `*.conf.tmpl`, `*.conf.j2`) or a Caddyfile other than `Caddyfile` (see readers/proxy/configs.ts).
   */
  | 'proxy'
  /** A SaltStack SLS file (states, a top file, pillar data): YAML rendered from Jinja (readers/salt.ts). */
  | 'salt'
  /**
   * A TypeScript, JavaScript or Jsonnet program in a deployment folder (kubernetes/manifest.mts, k8s/main.ts,
   * environments/prod/main.jsonnet) that may generate Kubernetes manifests (its content says:
   * readers/kubernetes/manifestGenerators.ts).
   */
  | 'generator';

/** A template's `{{ … }}` with the value the deployment fills it with, where the repository says it. */
export interface TemplateFill {
  /** The expression, [start, end) in the template. */
  readonly start: number;
  readonly end: number;
  /** The value rendered in its place; undefined when only the deployment knows it. */
  readonly value?: string;
}

/**
 * A committed template the deployment renders before its program reads it (a Salt `file.managed`
 * state with `template: jinja`): read as the file it becomes, its known values filled in.
 */
export interface RenderedFile {
  readonly syntax: 'jinja';
  /** What renders it: "the Salt state gunicorn_conf in conf/salt/project/web/app.sls:7". */
  readonly by: string;
  /** Where it is written, as the state writes it (`/etc/supervisor/conf.d/{{ pillar['project_name'] }}-gunicorn.conf`). */
  readonly dest: string;
  /** Every `{{ … }}` of the template, each with its value where known. */
  readonly expressions: readonly TemplateFill[];
}

export interface ScannedFile {
  readonly path: string;
  readonly kind: FileKind;
  /** Set for a template the deployment renders (the project model's renderedFiles): its kind is the rendered file's. */
  readonly rendered?: RenderedFile;
}

export interface ScanResult {
  readonly root: string;
  readonly files: ScannedFile[];
  /** Every Python file (for module resolution without touching the disk again). */
  readonly pythonFiles: Set<string>;
  readonly directories: Set<string>;
  readonly gitignore: GitIgnore;
  /** Set when the walk stopped early. */
  truncated?: string;
  readonly visited: number;
}

const SKIP_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.venv',
  'venv',
  '.direnv',
  'site-packages',
  'dist-packages',
  '.idea',
  '.vscode-test',
  'bower_components',
  '.cache',
  'htmlcov',
  '.eggs',
]);

export const MAX_SCAN_ENTRIES = 200_000;
const MAX_DEPTH = 40;

/**
 * docs/…rollback….md: what /(^|\/)docs\/.*rollback.*\.(md|rst|txt)$/i matched, reading the path once
 * (each docs/ and each "rollback" of a long path read the rest again). The match lies after the
 * path's last line break; the first docs/ folder there, then "rollback" before the extension.
 */
export function isRollbackDoc(relPath: string): boolean {
  const cut = Math.max(relPath.lastIndexOf('\n'), relPath.lastIndexOf('\r'), relPath.lastIndexOf('\u2028'), relPath.lastIndexOf('\u2029'));
  const line = relPath.slice(cut + 1);
  const docs = (cut < 0 ? /(?:^|\/)docs\//i : /\/docs\//i).exec(line);
  if (!docs) return false;
  const rest = line.slice(docs.index + docs[0].length);
  const ext = /\.(?:md|rst|txt)$/i.exec(rest);
  const rollback = rest.search(/rollback/i);
  return ext !== null && rollback >= 0 && rollback + 'rollback'.length <= ext.index;
}

/** ini files of tools that are not app servers or process managers. */
const NOT_APP_INI = new Set([
  'pytest.ini',
  'mypy.ini',
  'alembic.ini',
  'tox.ini',
  '.isort.ini',
  'flake8.ini',
  'pylintrc.ini',
  'php.ini',
  'setup.ini',
]);

/** A folder of static assets or of vendored front-end packages (a `*-dist` package build, node_modules); not `dist/` or `vendor/`, where a deployment's own files may live. */
const STATIC_OR_VENDORED_FOLDERS = new Set(['static', 'staticfiles', 'node_modules', 'bower_components']);

function staticOrVendored(relPath: string): boolean {
  const folders = relPath.toLowerCase().split('/').slice(0, -1);
  return folders.some((f) => STATIC_OR_VENDORED_FOLDERS.has(f) || f.endsWith('-dist') || f.endsWith('_dist'));
}

export function classify(relPath: string): FileKind | undefined {
  const name = relPath.split('/').pop()!;
  const lower = name.toLowerCase();
  const dir = relPath.includes('/') ? relPath.slice(0, relPath.lastIndexOf('/')) : '';
  if (lower.endsWith('.py')) {
    if (name === 'manage.py') return 'manage';
    if (name === 'wsgi.py') return 'wsgi';
    if (name === 'asgi.py') return 'asgi';
    if (name === 'gunicorn.conf.py' || name === 'gunicorn_config.py' || name === 'gunicorn.py' || name === 'gunicorn_conf.py')
      return 'gunicorn';
    if (name === 'settings.py' || /(^|\/)settings(\/|$)/.test(dir)) return 'settings';
    if (name === 'urls.py') return 'urls';
    if (name === 'setup.py') return 'setuppy';
    return 'python';
  }
  if (name === 'Procfile' || /^Procfile\./.test(name)) return 'procfile';
  // (Dockerfile.prod, Dockerfile-django, Dockerfile_web, web.dockerfile; not Dockerfile.md or a Dockerfile-lint.json)
  if (
    // (`dockerfile` in lower case too: docker builds it when there is no `Dockerfile`, catalogue/dockerBuild.ts
    // DOCKERFILE_LOWER_CASE; the file layer sits below the catalogues, so the name is written here)
    (name === 'Dockerfile' ||
      name === 'dockerfile' ||
      /^Dockerfile[-_.]/.test(name) ||
      lower.endsWith('.dockerfile') ||
      /^Containerfile/.test(name)) &&
    !/\.(json|ya?ml|md|rst|txt|sh|py|toml|cfg|ini|lock)$/i.test(name)
  )
    return 'dockerfile';
  if (/^(docker-)?compose([.-].*)?\.ya?ml$/.test(lower) || (/^(local|production|staging|dev)\.ya?ml$/.test(lower) && dir === ''))
    return 'compose';
  // (an Ansible role's `mataroa.service.j2`: the unit it installs, `{{ … }}` filled in at deploy)
  if (lower.endsWith('.service') || /\.service\.(j2|jinja2?)$/.test(lower)) return 'systemd';
  if (/^\.env(\..+)?$/.test(name) || /(^|\/)\.envs\//.test(relPath) || lower.endsWith('.env')) return 'dotenv';
  // (bin/pre_compile and bin/post_compile: the Heroku Python buildpack's build hooks)
  if (
    lower.endsWith('.sh') ||
    /\.sh\.(j2|jinja2?)$/.test(lower) ||
    name === 'entrypoint' ||
    name === 'start' ||
    /(^|\/)bin\/(pre|post)_compile$/.test(relPath)
  )
    return 'shell';
  if (/^requirements.*\.(txt|in)$/.test(lower) || (/(^|\/)requirements\//.test(relPath) && /\.(txt|in)$/.test(lower)))
    return 'requirements';
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'Pipfile') return 'pipfile';
  if (name === 'setup.cfg') return 'setupcfg';
  if (name === 'poetry.lock' || name === 'uv.lock' || name === 'Pipfile.lock' || name === 'pdm.lock') return 'lockfile';
  if (
    /^\.github\/workflows\/.+\.ya?ml$/.test(relPath) ||
    name === '.gitlab-ci.yml' ||
    /^\.circleci\//.test(relPath) ||
    name === 'Jenkinsfile' ||
    name === 'bitbucket-pipelines.yml' ||
    name === 'tox.ini' ||
    name === 'Makefile' ||
    name === 'justfile' ||
    name === 'noxfile.py'
  )
    return 'ci';
  if (name === '.pre-commit-config.yaml') return 'precommit';
  if (lower.endsWith('.sls')) return 'salt';
  if (isGeneratorProgram(relPath, lower)) return 'generator';
  if (/^(rollback|runbook|deploy(ment)?)(\.|-|_)?.*\.(md|rst|txt)$/i.test(name) || isRollbackDoc(relPath)) return 'rollback';
  // (a template of one committed in its place, `app.yaml.tmpl`, is read as it when the file itself is
  // not beside it: scanWorkspace)
  if (platformTemplateOf(relPath) !== undefined || name === 'Caddyfile' || name === 'nginx.conf' || isPlatformFile(relPath))
    return 'config';
  // Elastic Beanstalk's `.ebextensions/*.config` (YAML or JSON) and the EB CLI's `.elasticbeanstalk/config.yml`
  if (/(^|\/)\.ebextensions\/[^/]{1,200}\.config$/.test(relPath) || /(^|\/)\.elasticbeanstalk\/config\.ya?ml$/.test(relPath))
    return 'config';
  if (/^uwsgi[\w.-]*\.ya?ml$/.test(lower)) return 'appconfig';
  // a Jinja template of one (an Ansible role's `templates/uwsgi.ini.j2`, `uwsgi.j2`, `supervisor.conf.j2`)
  if (/\.(j2|jinja2?)$/.test(lower)) {
    const stem = lower.replace(/\.(j2|jinja2?)$/, '');
    if ((stem.endsWith('.ini') && !NOT_APP_INI.has(stem)) || /(^|[._-])(uwsgi|supervisord?)([._-]|$)/.test(stem)) return 'appconfig';
  }
  if (lower.endsWith('.ini') && !NOT_APP_INI.has(lower)) return 'appconfig';
  // (supervisord.conf, celery-supervisor.conf, site_supervisor.conf)
  if (
    /^(?:[\w-]{1,60}[._-])?(?:supervisord?|circus)(?:[._-][\w.-]*)?\.conf$/.test(lower) ||
    (/(^|\/)supervisor[\w-]*\//.test(relPath) && lower.endsWith('.conf'))
  )
    return 'appconfig';
  // an Ansible inventory's variables file named for its group or host without an extension
  // (`group_vars/all`, `host_vars/web1`): YAML, as Ansible reads it (the host_group_vars plugin takes
  // no extension, .yml, .yaml or .json: docs.ansible.com/ansible/latest/collections/ansible/builtin/host_group_vars_vars.html)
  if (!name.includes('.') && /(^|\/)(group|host)_vars\/[^/]{1,200}$/.test(relPath)) return 'manifest';
  // read by the proxy model, which keeps only what holds nginx blocks or Caddy sites (not a hidden
  // file: `.nginx.conf`, a boilerplate's sample that nothing deploys)
  if (name.startsWith('.')) return undefined;
  // (nor a file of the site's static assets or of a vendored package: `static/drf-yasg/swagger-ui-dist/LICENSE`,
  // `node_modules/x/nginx.conf` is the package's, not the deployment's)
  if (staticOrVendored(relPath)) return undefined;
  if (lower.endsWith('.conf') || lower.endsWith('.nginx') || /^caddyfile[.-]/.test(lower) || lower.endsWith('.caddyfile')) return 'proxy';
  // a configuration template (the nginx image's /etc/nginx/templates/*.template rendered by
  // envsubst, an Ansible or Jinja `*.conf.j2`): read as nginx when it holds nginx blocks
  if (isProxyTemplate(lower)) return 'proxy';
  // an nginx site file named after the site, without an extension (`config/mysite`, copied to
  // /etc/nginx/sites-available/ by the deploy): read as nginx only when it holds nginx blocks
  // …or named for nginx wherever it is (`uwsgi_setup/nginx`, `deploy_nginx`, `nginx-site`)
  if (
    !name.includes('.') &&
    (/(^|\/)(nginx|sites-available|sites-enabled|conf\.d|conf|config|deploy|deployment|etc|infra|ops|provisioning)\//.test(relPath) ||
      /(^|[_-])nginx([_-]|$)/.test(lower))
  )
    return 'proxy';
  if (/\.ya?ml$/.test(lower) && !/(^|\/)(docs?|\.github|static|locale|fixtures|node_modules|\.gitlab)\//.test(relPath)) return 'manifest';
  return undefined;
}

/** The folders a program generating production's Kubernetes manifests is kept in. */
const GENERATOR_DIRS =
  /(^|\/)(kubernetes|k8s|kube|deploy|deployment|deployments|manifests|cdk8s|pulumi|infra|infrastructure|tanka|environments)\//;

/**
 * A TypeScript, JavaScript or Jsonnet file in a deployment folder (not a declaration file or a
 * test): kubernetes/manifest.mts, k8s/main.ts, environments/prod/main.jsonnet.
 */
function isGeneratorProgram(relPath: string, lower: string): boolean {
  if (!/\.(m?ts|cts|m?js|cjs|jsonnet|libsonnet)$/.test(lower) || lower.endsWith('.d.ts')) return false;
  if (/\.(test|spec)\.[a-z]+$/.test(lower) || staticOrVendored(relPath)) return false;
  return GENERATOR_DIRS.test(relPath);
}

/** The platform files, by name (fly.toml, render.yaml, App Engine's app.yaml, .do/app.yaml…; readers/platforms/index.ts tells them apart). */
const PLATFORM_FILES: ReadonlySet<string> = new Set([
  'app.json',
  'fly.toml',
  'render.yaml',
  'app.yaml',
  'heroku.yml',
  'railway.json',
  'railway.toml',
  'nixpacks.toml',
]);

/**
 * A Terraform file (`*.tf`, not a module Terraform downloaded into `.terraform/`) that declares a
 * Cloud Run service: `resource "google_cloud_run_service"` or `"google_cloud_run_v2_service"`.
 */
function isCloudRunTerraform(relPath: string, text: () => string | undefined): boolean {
  if (!relPath.endsWith('.tf') || /(^|\/)\.terraform\//.test(relPath) || staticOrVendored(relPath)) return false;
  const t = text();
  return t !== undefined && (t.includes('"google_cloud_run_service"') || t.includes('"google_cloud_run_v2_service"'));
}

/** Cloud Build's configuration (`cloudbuild.yaml`, `cloudbuild.prod.yaml`): a platform file when a step deploys to Cloud Run. */
export function isCloudBuildName(name: string): boolean {
  return /^cloudbuild(?:[._-][\w.-]{0,60})?\.ya?ml$/i.test(name);
}

function isPlatformFile(relPath: string): boolean {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  return (
    PLATFORM_FILES.has(name) ||
    isCloudBuildName(name) ||
    /^fly\.[\w.-]+\.toml$/.test(name) ||
    /(^|\/)\.do\/[^/]+\.ya?ml$/.test(relPath) ||
    /(^|\/)clevercloud\/python\.json$/.test(relPath)
  );
}

/** A template's mark after the name of the file it renders (`app.yaml.tmpl`, `fly.toml.j2`, `render.yaml.in`). */
const TEMPLATE_SUFFIX = /\.(tmpl|template|tpl|j2|jinja2?|in)$/i;
/** …or before its extension (`app.template.yaml`, `render.tmpl.yaml`). */
const TEMPLATE_INFIX = /\.(tmpl|template|tpl|j2)(\.(?:ya?ml|toml|json))$/i;

/**
 * The platform file a committed template renders, by the template's name: `app.yaml.tmpl`,
 * `app.yaml.template`, `app.yaml.tpl`, `app.yaml.j2`, `app.yaml.in`, `app.template.yaml` → `app.yaml`
 * in the same folder (CI renders it — envsubst, Jinja, a Go template — before it deploys), and
 * whether its mark says Jinja (`.j2`, `.jinja`: only `{{ … }}` is filled in). Undefined for any other
 * name, and for a platform file's own name (`fly.staging.toml`; DigitalOcean's
 * `.do/deploy.template.yaml`, which its Deploy button reads as it is).
 */
export function platformTemplateOf(relPath: string): { readonly rendered: string; readonly syntax: 'jinja' | 'any' } | undefined {
  if (isPlatformFile(relPath)) return undefined;
  const slash = relPath.lastIndexOf('/');
  const dir = relPath.slice(0, slash + 1);
  const name = relPath.slice(slash + 1);
  const suffix = TEMPLATE_SUFFIX.exec(name);
  const infix = suffix ? null : TEMPLATE_INFIX.exec(name);
  const mark = suffix ?? infix;
  if (!mark) return undefined;
  const rendered = name.slice(0, mark.index) + (infix ? infix[2]! : '');
  if (!isPlatformFile(dir + rendered)) return undefined;
  return { rendered: dir + rendered, syntax: /^j/i.test(mark[1]!) ? 'jinja' : 'any' };
}

/** Walks `root`. `shouldStop` is polled to honour cancellation. */
export function scanWorkspace(fs: FileSystem, root: string, shouldStop?: () => boolean): ScanResult {
  const result: ScanResult = {
    root,
    files: [],
    pythonFiles: new Set(),
    directories: new Set(),
    gitignore: new GitIgnore(fs, root),
    visited: 0,
  };
  const seenReal = new Set<string>();
  const rootReal = fs.realpath(root) ?? root;
  // deployment files reached through a symlink (`docker/example/docker-compose.yml ->
  // ../../docker-compose.yml`): read once, at the real file's place, when the walk lists that too
  const linked: ScannedFile[] = [];
  const bare: { path: string; rel: string }[] = [];
  let visited = 0;
  // (inApp: inside a Django app whose folder is named settings — apps.py, models.py or migrations/
  // beside its modules: its modules are the app's, not settings modules)
  const walk = (dir: string, depth: number, inApp = false): void => {
    if (result.truncated) return;
    if (depth > MAX_DEPTH) return;
    const real = fs.realpath(dir) ?? dir;
    // a symlinked folder that leaves the root (`rootlink -> /`) is not walked
    if (!isWithin(rootReal, real)) return;
    if (seenReal.has(real)) return;
    seenReal.add(real);
    result.directories.add(dir);
    result.gitignore.loadDirectory(dir);
    const entries = fs.readDir(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // A virtualenv anywhere (pyvenv.cfg) is not project code.
    if (dir !== root && entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile)) return;
    const app =
      inApp ||
      (path.basename(dir) === 'settings' &&
        entries.some((e) => (e.isFile && (e.name === 'apps.py' || e.name === 'models.py')) || (e.isDirectory && e.name === 'migrations')));
    for (const entry of entries) {
      if (++visited > MAX_SCAN_ENTRIES) {
        result.truncated = `the workspace has more than ${MAX_SCAN_ENTRIES.toLocaleString('en-US')} files and folders; the rest were not read`;
        return;
      }
      if ((visited & 1023) === 0 && shouldStop?.()) {
        result.truncated = 'cancelled';
        return;
      }
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory) {
        if (SKIP_DIRS.has(entry.name)) continue;
        if (entry.name.endsWith('.egg-info')) continue;
        if (result.gitignore.ignores(full, true)) continue;
        walk(full, depth + 1, app);
        continue;
      }
      if (!entry.isFile) continue;
      let kind = classify(rel);
      // a Terraform file that declares a Cloud Run service (readers/platforms/cloudRun.ts): a platform file
      if (kind === undefined && isCloudRunTerraform(rel, () => fs.readText(full))) kind = 'config';
      // a script without an extension (`bin/run`): read as shell when a deployment file names it (below)
      if (kind === undefined && bareScriptName(rel) && !result.gitignore.ignores(full, false)) bare.push({ path: full, rel });
      if (kind === undefined) continue;
      if (kind === 'settings' && app && entry.name !== 'settings.py') kind = 'python';
      // a platform file's template (`app.yaml.tmpl`) beside the file it renders, one git keeps: the file is read
      if (kind === 'config' && renderedBeside(rel, dir, entries, result.gitignore)) continue;
      // a compose file named otherwise (docker/default.yml, deploy/stack.yml): its services are read as compose's
      // (not a Helm chart's values file, which may hold services with images too, nor a hidden file:
      // .pgpool.yml, the services another compose file `extends`)
      if (
        kind === 'manifest' &&
        !entry.name.startsWith('.') &&
        !/^values([-_.].*)?\.ya?ml$/i.test(entry.name) &&
        !entries.some((e) => e.name === 'Chart.yaml') &&
        looksLikeCompose(fs.readText(full))
      )
        kind = 'compose';
      // Cloud Foundry's manifest.yml (applications:, no apiVersion/kind): a platform file; a Kubernetes
      // file of that name stays a manifest
      if (kind === 'manifest' && isCfManifestName(entry.name) && looksLikeCfManifest(fs.readText(full))) kind = 'config';
      // AWS Copilot's service manifest (copilot/<service>/manifest.yml with a service `type:`): a platform file
      if (kind === 'manifest' && isCopilotManifestPath(rel) && looksLikeCopilotManifest(fs.readText(full))) kind = 'config';
      if (entry.name.endsWith('.py')) result.pythonFiles.add(full);
      // Ignored files still count for module resolution (an ignored local.py must be known to be
      // ignored), but only deployment-relevant kinds are listed when ignored.
      if (result.gitignore.ignores(full, false) && kind !== 'dotenv' && kind !== 'settings' && kind !== 'python') continue;
      const file = { path: full, kind };
      result.files.push(file);
      // (a Python file keeps its linked name: imports resolve by it, and a linked manage.py
      // (-> pkg/app/manage.py) still says where the project is)
      if (entry.isSymbolicLink && !entry.name.endsWith('.py')) linked.push(file);
    }
  };
  walk(root, 0);
  // (each in the walk's order, where its own folder's files are: bin/start_web before src/)
  for (const script of procfileScripts(fs, result.files, result.gitignore)) {
    const at = result.files.findIndex((f) => walkOrder(f.path, script.path) > 0);
    result.files.splice(at < 0 ? result.files.length : at, 0, script);
  }
  if (bare.length > 0 && !result.truncated) {
    const listed = new Set(result.files.map((f) => f.path));
    const unlisted = bare.filter((b) => !listed.has(b.path));
    result.files.push(...namedScripts(fs, unlisted, result.files));
  }
  if (linked.length > 0) {
    const listed = new Set(result.files.map((f) => f.path));
    const copies = new Set(
      linked.filter((f) => {
        const real = fs.realpath(f.path);
        // (the real file as the walk names it: under `root`, which may itself be reached through a link)
        return real !== undefined && isWithin(rootReal, real) && listed.has(path.join(root, path.relative(rootReal, real)));
      }),
    );
    if (copies.size > 0) (result as { files: ScannedFile[] }).files = result.files.filter((f) => !copies.has(f));
  }
  (result as { visited: number }).visited = visited;
  return result;
}

/** Files of these kinds name the scripts a container or process runs (`ENTRYPOINT ["/bin/bash", "/app/bin/run"]`, `command: bin/run web`, `web: bin/run web`). */
const NAMING_KINDS: ReadonlySet<FileKind> = new Set(['dockerfile', 'compose', 'procfile', 'shell']);
/** How many scripts without an extension are read at most (each checked for a shell's `#!` line). */
const MAX_BARE_SCRIPTS = 200;
/** A shell's `#!` line: `#!/bin/sh`, `#!/bin/bash -e`, `#!/usr/bin/env bash`, `#!/bin/dash`. */
const SHELL_SHEBANG = /^#![ \t]{0,4}\/(?:usr\/)?bin\/(?:env[ \t]{1,4})?(?:ba|da|k|z)?sh(?:\s|$)/;

/**
 * Whether a file may be a start script without an extension, in a folder of scripts (`bin/run`,
 * `scripts/start-web`, `docker/run`): no dot in its name, not hidden, in a folder of that name.
 */
function bareScriptName(rel: string): boolean {
  const parts = rel.split('/');
  const name = parts[parts.length - 1]!;
  if (parts.length < 2 || name.includes('.') || name.length > 60) return false;
  return /^(bin|scripts?|docker|deploy|ops)$/.test(parts[parts.length - 2]!);
}

/**
 * The scripts without an extension (bareScriptName) that a deployment file names by their folder
 * and name (`/app/bin/run`, `./bin/run`, `bin/run`) and that start with a shell's `#!` line: shell
 * files, as an `entrypoint.sh` is. A script nothing names stays unread, as other files without an
 * extension are.
 */
function namedScripts(fs: FileSystem, bare: readonly { path: string; rel: string }[], files: readonly ScannedFile[]): ScannedFile[] {
  const texts = files.filter((f) => NAMING_KINDS.has(f.kind)).map((f) => fs.readText(f.path) ?? '');
  if (texts.length === 0) return [];
  const out: ScannedFile[] = [];
  for (const b of bare.slice(0, MAX_BARE_SCRIPTS)) {
    const parts = b.rel.split('/');
    const tail = parts.slice(-2).join('/');
    const named = texts.some((t) => {
      for (let i = t.indexOf(tail); i >= 0; i = t.indexOf(tail, i + 1)) {
        const before = i === 0 ? '' : t[i - 1]!;
        const after = t[i + tail.length] ?? '';
        if (!/[\w.-]/.test(before) && !/[\w.-]/.test(after)) return true;
      }
      return false;
    });
    if (!named) continue;
    const head = (fs.readText(b.path) ?? '').slice(0, 200);
    if (SHELL_SHEBANG.test(head)) out.push({ path: b.path, kind: 'shell' });
  }
  return out;
}

/** The order the walk lists two files in: folder by folder, each folder's entries by name. */
function walkOrder(a: string, b: string): number {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

/** A shell's `#!` line: `#!/bin/bash`, `#!/bin/sh`, `#!/usr/bin/env bash`. */
const SHELL_SHEBANG_RE = /^#![ \t]*\/(?:usr\/)?bin\/(?:env[ \t]+)?(?:ba|da|z)?sh\b/;

/**
 * The start scripts without a `.sh` name a Procfile's processes run by a path (`web: bin/start_web`,
 * the script at the Procfile's folder, the app's root, with a shell's `#!` line): shell scripts, read
 * as the process model reads `start.sh`, so what they start (the app server, a proxy in front of it)
 * is seen. Bounded: the first word of each line of each Procfile.
 */
function procfileScripts(fs: FileSystem, files: readonly ScannedFile[], gitignore: GitIgnore): ScannedFile[] {
  const listed = new Set(files.map((f) => f.path));
  const out: ScannedFile[] = [];
  for (const f of files) {
    if (f.kind !== 'procfile') continue;
    for (const line of (fs.readText(f.path) ?? '').split('\n').slice(0, 200)) {
      const colon = line.indexOf(':');
      if (colon < 0 || line.trimStart().startsWith('#')) continue;
      const first =
        line
          .slice(colon + 1)
          .trim()
          .split(/[ \t]/)[0] ?? '';
      if (!first.includes('/') || first.startsWith('/') || first.startsWith('$')) continue;
      const full = path.resolve(path.dirname(f.path), first);
      if (listed.has(full) || !isWithin(path.dirname(f.path), full) || !fs.exists(full) || fs.isDirectory(full)) continue;
      if (gitignore.ignores(full, false)) continue;
      if (!SHELL_SHEBANG_RE.test(fs.readText(full)?.slice(0, 200) ?? '')) continue;
      listed.add(full);
      out.push({ path: full, kind: 'shell' });
    }
  }
  return out;
}

/** Whether `rel` is a platform file's template and the file it renders is beside it, not ignored by git. */
function renderedBeside(rel: string, dir: string, entries: readonly DirEntry[], gitignore: GitIgnore): boolean {
  const t = platformTemplateOf(rel);
  if (!t) return false;
  const name = t.rendered.slice(t.rendered.lastIndexOf('/') + 1);
  return entries.some((e) => e.isFile && e.name === name && !gitignore.ignores(path.join(dir, name), false));
}

/**
 * A YAML file that is a compose file by its content: a top-level `services:` mapping whose entries
 * name an `image:` or a `build:`, and no Kubernetes `apiVersion:`/`kind:` at the top level. (Platform
 * files with top-level services, render.yaml and .do/app.yaml, are classified by name before this.)
 */
export function looksLikeCompose(text: string | undefined): boolean {
  if (text === undefined || text.length > 512 * 1024) return false;
  if (!/^services:[ \t]*(#.*)?$/m.test(text)) return false;
  if (/^(apiVersion|kind):/m.test(text)) return false;
  return /^[ \t]{2,8}(image|build):/m.test(text);
}

/** The names `cf push` is given a manifest by: manifest.yml, manifest-production.yml, manifest_staging.yaml, manifest.prod.yml. */
export function isCfManifestName(name: string): boolean {
  return /^manifest(?:[-_.][\w.-]{1,60})?\.ya?ml$/i.test(name);
}

/**
 * A YAML file that is a Cloud Foundry app manifest by its content: a top-level `applications:` list
 * and no Kubernetes `apiVersion:`/`kind:` at the top level.
 */
export function looksLikeCfManifest(text: string | undefined): boolean {
  if (text === undefined || text.length > 512 * 1024) return false;
  if (!/^applications:[ \t]*(#.*)?$/m.test(text)) return false;
  return !/^(apiVersion|kind):/m.test(text);
}

/** The service types a Copilot manifest's `type:` names (a `type: Environment` manifest runs nothing). */
export const COPILOT_SERVICE_TYPES: ReadonlySet<string> = new Set([
  'Load Balanced Web Service',
  'Backend Service',
  'Worker Service',
  'Request-Driven Web Service',
  'Scheduled Job',
]);

/** The path of a Copilot service manifest: `copilot/<service>/manifest.yml` (not `copilot/environments/<env>/`). */
export function isCopilotManifestPath(rel: string): boolean {
  const parts = rel.replace(/\\/g, '/').split('/');
  const n = parts.length;
  return n >= 3 && parts[n - 3] === 'copilot' && parts[n - 2] !== 'environments' && /^manifest\.ya?ml$/.test(parts[n - 1]!);
}

/** Whether a YAML text is a Copilot service manifest: a top-level `type:` naming a service type. */
export function looksLikeCopilotManifest(text: string | undefined): boolean {
  if (text === undefined || text.length > 512 * 1024) return false;
  const m = /^type:[ \t]*([^\n#]{1,60})/m.exec(text);
  return !!m && COPILOT_SERVICE_TYPES.has(m[1]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
}

/** Extensions of a template's stem that say it renders something other than a proxy configuration. */
const NOT_PROXY_TEMPLATE = new Set([
  'py',
  'html',
  'htm',
  'txt',
  'md',
  'rst',
  'yml',
  'yaml',
  'json',
  'toml',
  'ini',
  'env',
  'sh',
  'service',
  'js',
  'ts',
  'css',
  'xml',
  'cfg',
  'sql',
  'j2',
]);

/**
 * `nginx.template`, `default.conf.template`, `site.conf.tmpl`, `site.conf.j2`, `nginx.j2`: a
 * template whose stem has no extension or one that is not another format's (`settings.py.j2` is not).
 */
export function isProxyTemplate(name: string): boolean {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  if (dot <= 0) return false;
  const suffix = lower.slice(dot + 1);
  if (suffix !== 'template' && suffix !== 'tmpl' && suffix !== 'tpl' && suffix !== 'j2') return false;
  const stem = lower.slice(0, dot);
  const inner = stem.lastIndexOf('.');
  return inner < 0 || !NOT_PROXY_TEMPLATE.has(stem.slice(inner + 1));
}
