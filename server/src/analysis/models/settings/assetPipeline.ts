// Whether the project's templates load their CSS and JavaScript through an asset pipeline that names
// its output by a hash of the content, whatever the static files storage does (catalogue/libraries/
// assetPipelines.ts): django-compressor's `{% compress css %}`/`{% compress js %}` blocks with
// compression on, or django-webpack-loader's `{% render_bundle %}` with a webpack or rspack
// configuration whose output file names hold a hash. Yes, no or unknown, with why and where; and
// the first place a template links a CSS or JavaScript file with `{% static %}` outside the
// pipeline (that file keeps the storage's name).
import * as path from 'node:path';
import {
  BUNDLER_HASHES,
  COMPRESSOR,
  COMPRESSOR_OFFLINE,
  COMPRESSOR_OUTPUT,
  productionDefault,
  WEBPACK_LOADER,
  WEBPACK_LOADER_BUNDLES,
} from '../../catalogue/libraries';
import type { FileSystem } from '../../files/fs';
import { lineIndexAt } from '../../base/lines';
import { relPath } from '../../base/relPath';
import * as V from '../../eval/values';
import { hasValue } from './query';
import type { AppKindAnswer, AppKindInput } from './appKind';

/** The deployment files a compress command is looked for in. */
const DEPLOY_KINDS = new Set(['dockerfile', 'shell', 'procfile', 'compose', 'ci', 'manifest', 'appconfig', 'config']);
/** The first deployment file of the project that runs the compress command, as `file:line`. */
function compressRun(input: AppKindInput): string | undefined {
  for (const f of input.files) {
    if (!DEPLOY_KINDS.has(f.kind)) continue;
    const text = input.fs.readText(f.path);
    if (text === undefined) continue;
    const m = COMPRESSOR_OFFLINE.value.commandLine.exec(text);
    if (m) return `${relPath(input.shownRoot, f.path)}:${lineIndexAt(text, m.index) + 1}`;
  }
  return undefined;
}

/**
 * Whether compression is on in production when COMPRESS_ENABLED is not a value the settings fix:
 * an environment variable's default, or a value the deployment supplies, with COMPRESS_OFFLINE on
 * or a deployment file running the compress command, both of which only do anything with it on
 * (catalogue COMPRESSOR_OFFLINE). The sign, when there is one; undefined otherwise.
 */
function presumedEnabled(input: AppKindInput): string | undefined {
  const { settings } = input;
  const enabled = settings.query(COMPRESSOR.settings.enabled.name);
  if (enabled.state === 'known' || enabled.state === 'unset') return undefined;
  if (enabled.state === 'overridable' && enabled.provenance.kind !== 'environment-default') return undefined;
  const offline = settings.query(COMPRESSOR.settings.offline.name);
  if (hasValue(offline) && V.truthy(offline.value) === true) return `${COMPRESSOR.settings.offline.name} is on`;
  const run = compressRun(input);
  return run ? `${run} runs ${COMPRESSOR_OFFLINE.value.command}` : undefined;
}

export interface AssetPipelineAnswer extends AppKindAnswer {
  /** The pipeline's distribution (`django-compressor`), when yes. */
  readonly library?: string;
  /** Where a template links a CSS or JavaScript file with `{% static %}` outside the pipeline (`templates/base.html:7 links css/extra.css`). */
  readonly outside?: string;
  /**
   * The setting that switches the pipeline on, when the environment decides it and the repository only
   * implies it is on (`COMPRESS_OFFLINE is on`): the answer is then presumed.
   */
  readonly presumed?: { readonly setting: string; readonly because: string };
}

/** Folders never searched for templates or a bundler's configuration. */
const SKIP = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  'env',
  '.tox',
  '__pycache__',
  'bower_components',
  'site-packages',
]);
/** The template files' suffixes. */
const TEMPLATE = /\.(?:html?|jinja2?|j2|djhtml)$/i;
/** At most this many folders are walked and template files read; beyond, the answer is unknown. */
const MAX_DIRS = 4000;
const MAX_TEMPLATES = 3000;

/** A Django template tag of the ones the pipelines use, with its arguments (`[^%]*`: one quantifier, linear). */
const TAG = /\{%-?\s*(\w+)\b([^%]*)%\}/g;
/** A quoted path to a CSS or JavaScript file (`'css/app.css'`). */
const CSS_OR_JS = /["']([^"'\s]+\.(?:css|js|mjs))["']/;

interface Walked {
  readonly templates: string[];
  readonly configs: string[];
  readonly truncated: boolean;
}

/** The template files (in a `templates` folder, or anywhere with `anywhere`) and the bundler configurations under `root`, bounded. */
function walk(fs: FileSystem, root: string, wantTemplates: boolean, anywhere = false): Walked {
  const templates: string[] = [];
  const configs: string[] = [];
  const queue: { dir: string; inTemplates: boolean }[] = [{ dir: root, inTemplates: false }];
  let dirs = 0;
  while (queue.length > 0) {
    const { dir, inTemplates } = queue.shift()!;
    if (++dirs > MAX_DIRS) return { templates, configs, truncated: true };
    let entries: ReturnType<FileSystem['readDir']>;
    try {
      entries = fs.readDir(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.'))
          queue.push({ dir: full, inTemplates: inTemplates || e.name === 'templates' || e.name === 'jinja2' });
      } else if (wantTemplates && (inTemplates || anywhere) && TEMPLATE.test(e.name)) {
        if (templates.length >= MAX_TEMPLATES) return { templates, configs, truncated: true };
        templates.push(full);
      } else if (BUNDLER_HASHES.value.configNames.test(e.name)) configs.push(full);
    }
  }
  return { templates, configs, truncated: false };
}

/**
 * Every file under `root` with a template's suffix (.html, .jinja2, .j2…), in whatever folder, and
 * whether the walk stopped at its bound (MAX_DIRS folders, MAX_TEMPLATES files) before the end.
 */
export function templateFilesAnywhere(
  fs: FileSystem,
  root: string,
): { readonly templates: readonly string[]; readonly truncated: boolean } {
  const w = walk(fs, root, true, true);
  return { templates: w.templates, truncated: w.truncated };
}

/** How many lines after `filename` its value may take (a conditional split over lines). */
const FILENAME_LINES = 3;
/** A line that ends a property's value (`filename: "[name].js",`). */
const VALUE_ENDS = /[,;}]\s*$/;

/** Whether a bundler configuration names an output file with a hash placeholder (`filename: "[name].[contenthash].js"`). */
function hashesNames(text: string): boolean {
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const at = line.indexOf('filename');
    if (at < 0) continue;
    // the value may follow on the next lines (`filename: isProduction\n  ? "[name].[contenthash].js"\n  : "[name].js"`)
    // (a line ending its value with `,` or `}` holds all of it)
    const more = VALUE_ENDS.test(line) ? [] : lines.slice(i + 1, i + 1 + FILENAME_LINES);
    const rest = [line.slice(at), ...more].join('\n');
    if (BUNDLER_HASHES.value.placeholders.some((p) => rest.includes(`[${p}]`) || rest.includes(`[${p}:`))) return true;
  }
  return false;
}

interface TemplateUse {
  /** The first `{% compress css|js %}` block, as `file:line`. */
  compress?: string;
  /** The first `{% render_bundle %}`, as `file:line`. */
  bundle?: string;
  /** The first CSS or JavaScript file linked with `{% static %}` outside a compress block. */
  outside?: string;
}

function templateUse(input: AppKindInput, files: readonly string[]): TemplateUse {
  const use: TemplateUse = {};
  const compressTag = COMPRESSOR_OUTPUT.value.tag;
  const bundleTag = WEBPACK_LOADER_BUNDLES.value.tag;
  for (const f of files) {
    const text = input.fs.readText(f);
    if (text === undefined) continue;
    const at = (i: number): string => `${relPath(input.shownRoot, f)}:${lineIndexAt(text, i) + 1}`;
    let depth = 0;
    TAG.lastIndex = 0;
    for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
      const [, name, args = ''] = m;
      if (name === compressTag) {
        depth++;
        const kind = args.trim().split(/\s+/)[0] ?? '';
        if (COMPRESSOR_OUTPUT.value.kinds.includes(kind)) use.compress ??= at(m.index);
      } else if (name === `end${compressTag}`) depth = Math.max(0, depth - 1);
      else if (name === bundleTag) use.bundle ??= at(m.index);
      else if (name === 'static' && depth === 0 && use.outside === undefined) {
        const file = CSS_OR_JS.exec(args);
        if (file) use.outside = `${at(m.index)} links ${file[1]}`;
      }
    }
  }
  return use;
}

/**
 * Whether the production templates load their CSS and JavaScript through an asset pipeline that
 * hashes the names of what it writes. No when no pipeline app is installed, or its tags are not
 * used, or the bundler names its output without a hash; unknown when the settings or the files
 * cannot say.
 */
export function assetPipeline(input: AppKindInput): AssetPipelineAnswer {
  const { settings } = input;
  const installed = settings.strings('INSTALLED_APPS');
  if (installed === undefined) return { state: 'unknown', why: 'INSTALLED_APPS is not known statically' };
  const compressor = installed.includes(COMPRESSOR.apps.compressor);
  const webpack = installed.includes(WEBPACK_LOADER.apps.webpackLoader);
  if (!compressor && !webpack)
    return { state: 'no', why: `neither ${COMPRESSOR.distribution} nor ${WEBPACK_LOADER.distribution} is in INSTALLED_APPS` };
  const own = walk(input.fs, input.root, true);
  const use = templateUse(input, own.templates);
  const unknownTemplates = own.truncated ? ' (the project has too many files to search them all)' : '';
  const reasons: string[] = [];
  if (compressor) {
    const enabled = settings.get(COMPRESSOR.settings.enabled.name);
    const written = enabled.isSet ? V.truthy(enabled.value) : productionDefault<boolean>(COMPRESSOR.settings.enabled);
    // an environment variable decides it, and offline compression is set up: presumed on where it runs
    const presumed = written === true ? undefined : presumedEnabled(input);
    const on = presumed ? true : written;
    if (on === undefined) reasons.push(`${COMPRESSOR.settings.enabled.name} is not known statically`);
    else if (!on)
      reasons.push(
        `${COMPRESSOR.settings.enabled.name} is off, so {% ${COMPRESSOR_OUTPUT.value.tag} %} links the files under their own names`,
      );
    else if (use.compress)
      return {
        state: 'yes',
        library: COMPRESSOR.distribution,
        brief: `${COMPRESSOR.distribution} names what its {% ${COMPRESSOR_OUTPUT.value.tag} %} blocks hold by their content (${use.compress})`,
        why: `${COMPRESSOR.distribution}'s {% ${COMPRESSOR_OUTPUT.value.tag} %} blocks (${use.compress}) write the CSS and JavaScript they hold to ${COMPRESSOR.settings.outputDir.name} under names holding a hash of their content${presumed ? ` (${COMPRESSOR.settings.enabled.name} presumed on: the environment decides it and ${presumed})` : ''}`,
        ...(presumed ? { presumed: { setting: COMPRESSOR.settings.enabled.name, because: presumed } } : {}),
        ...(use.outside ? { outside: use.outside } : {}),
      };
    else
      reasons.push(
        `no template of the project has a {% ${COMPRESSOR_OUTPUT.value.tag} css %} or {% ${COMPRESSOR_OUTPUT.value.tag} js %} block${unknownTemplates}`,
      );
  }
  if (webpack) {
    if (!use.bundle) reasons.push(`no template of the project uses {% ${WEBPACK_LOADER_BUNDLES.value.tag} %}${unknownTemplates}`);
    else {
      // the bundler's configuration: in the project, or beside it in the workspace folder or the
      // repository above it (a frontend/ folder beside backend/)
      const above = (dir: string | undefined): Walked | undefined =>
        dir !== undefined && dir !== input.root && !path.relative(dir, input.root).startsWith('..')
          ? walk(input.fs, dir, false)
          : undefined;
      // (one walk from the highest of them: the repository root holds the workspace folder)
      const wider = above(input.repositoryRoot ?? input.shownRoot);
      const configs = [...new Set([...own.configs, ...(wider?.configs ?? [])])];
      const hashed = configs.find((c) => hashesNames(input.fs.readText(c) ?? ''));
      if (hashed)
        return {
          state: 'yes',
          library: WEBPACK_LOADER.distribution,
          brief: `${WEBPACK_LOADER.distribution} links bundles named by their content (${use.bundle}, ${relPath(input.shownRoot, hashed)})`,
          why: `${WEBPACK_LOADER.distribution}'s {% ${WEBPACK_LOADER_BUNDLES.value.tag} %} (${use.bundle}) links the bundles ${relPath(input.shownRoot, hashed)} names with a hash of their content`,
          ...(use.outside ? { outside: use.outside } : {}),
        };
      if (configs.length > 0)
        return {
          state: 'no',
          why: `${relPath(input.shownRoot, configs[0]!)} names the bundles {% ${WEBPACK_LOADER_BUNDLES.value.tag} %} links without a hash of their content (no [contenthash] in a filename)`,
        };
      return {
        state: 'unknown',
        why: `{% ${WEBPACK_LOADER_BUNDLES.value.tag} %} (${use.bundle}) links bundles, but no webpack or rspack configuration in the repository says how they are named`,
      };
    }
  }
  return { state: own.truncated ? 'unknown' : 'no', why: reasons.join('; ') };
}
