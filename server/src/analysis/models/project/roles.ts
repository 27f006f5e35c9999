// What a settings module is for (production, development, tests) by its name, and which files that
// name one are meant for development or tests only (a mention there is no production evidence).
import * as path from 'node:path';
import { platformTemplateOf } from '../../files/scan';
import type { ModuleRole } from './types';

// (`server`: settings/server.py beside development.py and test.py, the module production's server
// runs, as its requirements/server.txt is what production installs)
const PROD_NAMES = ['production', 'prod', 'live', 'deploy', 'deployment', 'server', 'staging'];
const DEV_NAMES = new Set(['local', 'dev', 'develop', 'development', 'devel', 'developer']);
const TEST_NAMES = new Set([
  'test',
  'tests',
  'testing',
  'ci',
  'continuous_integration',
  'continuousintegration',
  'pytest',
  'e2e',
  'test_settings',
  'settings_test',
  'settings_tests',
]);

/** The role a module's own name suggests. */
export function roleByName(moduleName: string): ModuleRole | undefined {
  // (a class name's words too: ContinuousIntegration is continuous_integration)
  const parts = moduleName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('.');
  const last = parts[parts.length - 1]!;
  const words = last.split(/[_-]/);
  const all = [last, last.replace(/_/g, ''), ...words];
  if (all.some((w) => TEST_NAMES.has(w))) return 'test';
  if (all.some((w) => DEV_NAMES.has(w))) return 'development';
  if (all.some((w) => PROD_NAMES.includes(w))) return 'production';
  return undefined;
}

/**
 * Where a production-like name ranks: production, prod, live, deploy, deployment, server, staging, then any
 * other; for one word, the module named by it alone (`production`) before one that names something
 * else too (`compress_production`, a module for one task of production's).
 */
export function prodRank(moduleName: string): number {
  const last = moduleName.toLowerCase().split('.').pop()!;
  const words = [last, ...last.split(/[_-]/)];
  for (let i = 0; i < PROD_NAMES.length; i++) if (words.includes(PROD_NAMES[i]!)) return 2 * i + (last === PROD_NAMES[i] ? 0 : 1);
  return 2 * PROD_NAMES.length;
}

/**
 * The platforms a project's deployment files show, as the words a settings module named for one
 * would use: a Procfile, app.json or heroku.yml (Heroku), fly.toml (Fly), render.yaml (Render),
 * railway.json or railway.toml (Railway), app.yaml (App Engine), or a template of one (`app.yaml.tmpl`).
 */
export function platformWords(files: readonly { readonly path: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  const add = (words: readonly string[], name: string): void => {
    for (const w of words) if (!out.has(w)) out.set(w, name);
  };
  for (const f of files) {
    const name = path.basename(f.path);
    // (a template CI renders in its place, app.yaml.tmpl, shows the platform of the file it renders)
    const lower = path.basename(platformTemplateOf(name)?.rendered ?? name).toLowerCase();
    if (lower === 'procfile' || lower === 'app.json' || lower === 'heroku.yml') add(['heroku'], name);
    else if (lower === 'fly.toml') add(['fly'], name);
    else if (lower === 'render.yaml') add(['render'], name);
    else if (lower === 'railway.json' || lower === 'railway.toml') add(['railway'], name);
    else if (lower === 'app.yaml') add(['gae', 'appengine', 'gcp'], name);
  }
  return out;
}

/**
 * For a production module named for a platform the deployment shows (`heroku_production` beside a
 * Procfile: the module that platform is given, production's own settings on top of production.py):
 * the word and the file that shows the platform; else undefined.
 */
export function platformNamed(moduleName: string, platforms: ReadonlyMap<string, string>): { word: string; file: string } | undefined {
  const last = moduleName.toLowerCase().split('.').pop()!;
  const word = last.split(/[_-]/).find((w) => platforms.has(w));
  return word ? { word, file: platforms.get(word)! } : undefined;
}

/** 0 for a production module named for a platform the deployment shows (platformNamed), else 1. */
export function platformRank(moduleName: string, platforms: ReadonlyMap<string, string>): number {
  return platformNamed(moduleName, platforms) ? 0 : 1;
}

/** Whether a file naming a settings module is meant for development or tests (manage.py, .env, local.yml, pytest.ini, CI…). */
export function mentionIsDevOnly(file: string, root: string): boolean {
  const rel = path.relative(root, file).toLowerCase().split(path.sep).join('/');
  const name = path.basename(rel);
  if (name === 'manage.py') return true;
  if (name === '.env' || name === '.env.local' || name === '.env.dev' || name === '.env.development' || name === '.env.test') return true;
  if (/(^|\/)\.envs\/\.?(local|dev|development|test)\//.test(rel)) return true;
  if (/(override|local|dev|develop|development|test|ci)/.test(name.replace(/\.(ya?ml|env|sh|service|txt)$/, '')) && !/prod/.test(name))
    return true;
  if (/(^|\/)(tests?|\.github|\.gitlab|\.circleci)\//.test(rel)) return true;
  // a documentation build (Sphinx's docs/Makefile running with DJANGO_SETTINGS_MODULE=….docs)
  if (/(^|\/)docs?\//.test(rel)) return true;
  if (name === 'pytest.ini' || name === 'tox.ini' || name === 'setup.cfg' || name === 'conftest.py') return true;
  return false;
}
