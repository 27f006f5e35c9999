// Whether a process file, stage, service or process type is meant for development or tests, by its
// name or the folders it is in (docker/dev/…, Procfile.dev, a `local` service).

/**
 * Words that say tests or CI (docker-compose.travis.yml, docker-compose.e2e.yml), also by the test
 * tool's name (docker-compose-playwright.yml, docker/backend/unittests/…). Not `circleci` or
 * `jenkins`: their folders hold CI configurations, which the checklist reads as CI's evidence.
 */
const TEST_WORDS = new Set([
  'test',
  'tests',
  'testing',
  'ci',
  'travis',
  'e2e',
  'unittest',
  'unittests',
  'playwright',
  'cypress',
  'selenium',
  'pytest',
]);
/** Words of an opening comment that say development or an example, besides the test words. */
const HEADER_DEV_WORDS = new Set(['dev', 'development', 'example']);
/** A word that says production (or the way to it): a name or folder with one is never development's. */
const PRODUCTION_WORD = /^(prod|production|live|staging|release|deploy)$/;

const DEV_WORDS = new Set([
  'dev',
  'devel',
  'develop',
  'development',
  'local',
  ...TEST_WORDS,
  'debug',
  'sandbox',
  // VS Code's dev container (.devcontainer/Dockerfile, devcontainer.json)
  'devcontainer',
  // load and performance testing (loadtest/locust/Dockerfile, benchmarks/compose.yml): the tooling
  // that sends production traffic, never what serves it (`load-test`, `load_testing` are read word
  // by word: their `test` says it already)
  'loadtest',
  'loadtests',
  'loadtesting',
  'locust',
  'benchmark',
  'benchmarks',
  // a project's development scripts and what they use (devscripts/files/compose.certbot.yaml)
  'devscripts',
  // an editor's language server image (pyright.lsp.Dockerfile)
  'lsp',
]);

/** Whether a path (relative to the project) or a stage name says production: a word of one of its parts (prod/Dockerfile, Dockerfile.production, deploy/…). */
export function namedForProduction(rel: string): boolean {
  return rel.split(/[\\/]/).some((p) =>
    p
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .some((w) => PRODUCTION_WORD.test(w)),
  );
}

/** A word of a script's name or folders that says deploying, operating or migrating production (`ops/migrate.sh`, `deploy/db.sh`). */
const BY_HAND_WORD = /^(?:deploy|deployment|deploys|ops|release|prod|production|live)$|migrat/;

/** Whether a shell script's path (relative to the project) says a person runs it to deploy, operate or migrate production. */
export function namedForDeployingByHand(rel: string): boolean {
  return rel
    .toLowerCase()
    .replace(/\.(sh|bash)$/, '')
    .split(/[^a-z0-9]+/)
    .some((w) => w !== '' && BY_HAND_WORD.test(w));
}

/** A word that says staging, the environment before production (a second deployment, not production's when production's is beside it). */
const STAGING_WORD = /^(staging|stage)$/;
/** A word that says production itself (not `deploy` or `release`, which staging files say too). */
const PRODUCTION_ITSELF = /^(prod|production|live)$/;

/**
 * Whether a file's name says staging and not production (docker-compose-staging.yml,
 * manifest_staging.yaml, values-stage.yaml; not prod-staging.yml). Staging is a second environment:
 * beside a file of its kind that is production's, it is not production's; alone, it is taken as
 * production's (deploymentVariables, passes/stagingCompose.ts).
 */
export function namedForStaging(name: string): boolean {
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  return words.some((w) => STAGING_WORD.test(w)) && !words.some((w) => PRODUCTION_ITSELF.test(w));
}

/** Folders of documentation: a process file in one is an example a guide shows, not a deployment's. */
export const DOC_DIRS: ReadonlySet<string> = new Set(['doc', 'docs', 'documentation', 'tutorial', 'tutorials']);

/**
 * Folders of what the project no longer runs (legacy/compose/production/…, deprecated/, archive/):
 * a process file in one is the layout production ran before, not the one it runs.
 */
export const SUPERSEDED_DIRS: ReadonlySet<string> = new Set([
  'legacy',
  'deprecated',
  'obsolete',
  'archive',
  'archived',
  'attic',
  'old',
  'unused',
]);

/** CI services' folders: what a process file there builds or runs is CI's (.circleci/Dockerfile-coord). */
const CI_DIRS = new Set(['.circleci', '.github', '.gitlab', '.buildkite', '.woodpecker']);

/** Why a process file (a Dockerfile, a compose file) is CI's by its folder, if it is. */
export function ciFolderReason(rel: string): string | undefined {
  const parts = rel.split(/[\\/]/);
  const dir = parts.slice(0, -1).find((p) => CI_DIRS.has(p.toLowerCase()));
  return dir ? `it is in the CI folder ${dir}` : undefined;
}

/** Why a path (relative to the project) looks like development, test or documentation material, if it does. */
export function devReasonOfPath(rel: string, extraWords: readonly string[] = []): string | undefined {
  const parts = rel.split(/[\\/]/).filter((p) => p && p !== '.' && p !== '..');
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    const last = k === parts.length - 1;
    if (!last && DOC_DIRS.has(p.toLowerCase())) return `it is in a "${p}" folder (documentation: an example)`;
    if (!last && SUPERSEDED_DIRS.has(p.toLowerCase())) return `it is in a "${p}" folder (what the project no longer runs)`;
    const stem = last ? p.replace(/\.(ya?ml|sh|service|py|txt|env)$/i, '') : p;
    const words = stem
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    // a file named for CI or tests of production's images (docker-compose.ci.prod.images.yaml) runs
    // in CI all the same
    const ci = last ? words.find((w) => TEST_WORDS.has(w)) : undefined;
    if (ci && words.some((w) => PRODUCTION_WORD.test(w))) return `its name says "${ci}"`;
    if (words.some((w) => PRODUCTION_WORD.test(w))) continue;
    const hit = words.find((w) => DEV_WORDS.has(w) || extraWords.includes(w));
    if (hit) return last ? `its name says "${hit}"` : `it is in a "${p}" folder`;
  }
  return undefined;
}

/** The test word of "only for X" or "for X only" among a comment's words, X a test word; undefined otherwise. */
function onlyForTests(words: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < words.length; i++) {
    if (words[i] === 'only' && words[i + 1] === 'for' && TEST_WORDS.has(words[i + 2] ?? '')) return words[i + 2];
    if (words[i] === 'for' && TEST_WORDS.has(words[i + 1]!) && words[i + 2] === 'only') return words[i + 1];
  }
  return undefined;
}

/**
 * Why a file's opening comment says it is for tests, CI, development or an example ("# Docker-compose
 * file for testing via Github Actions", "# A dev / testing / example compose file for …"), if it
 * does: the comment lines before its first other line, read word by word. A header that names
 * production too ("production, tested in CI") says nothing.
 */
export function devReasonOfHeader(text: string): string | undefined {
  const header: string[] = [];
  let afterKey = false;
  for (const line of text.split('\n', 40)) {
    const t = line.trim();
    if (t === '' || t === '---') continue;
    // a compose file's `version:` and its top-level `services:` may come first: a comment after
    // them speaks of the file only when it says so ("compose file for …"), not of the service below
    if (header.length === 0 && t === line.trimEnd() && (/^version\s*:/.test(t) || /^[A-Za-z_][\w-]*:$/.test(t))) {
      afterKey = true;
      continue;
    }
    if (!t.startsWith('#')) break;
    header.push(t.slice(1).toLowerCase());
  }
  if (header.length === 0) return undefined;
  const words = header
    .join(' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // (after them, a comment that names the file: "this compose file", "this container-compose is …")
  if (afterKey && !words.includes('file') && !words.includes('compose')) return undefined;
  // "only for test(s/ing)", "for testing only": a use that excludes every other, production included
  // ("only for test latest image built from development branch and prod image built from released version")
  const only = onlyForTests(words);
  if (!only && words.some((w) => PRODUCTION_WORD.test(w) || w === 'deployment')) return undefined;
  const hit = only ?? words.find((w) => TEST_WORDS.has(w));
  const actions = words.includes('github') && words.includes('actions');
  if (!hit && !actions) {
    const dev = words.find((w) => HEADER_DEV_WORDS.has(w));
    return dev ? `its opening comment says it is ${dev === 'example' ? 'an example' : 'for development'}` : undefined;
  }
  return `its opening comment says it is for ${actions ? 'GitHub Actions' : hit === 'ci' ? 'CI' : hit === 'test' || hit === 'tests' || hit === 'testing' ? 'tests' : `CI (${hit})`}`;
}

/** The words that name a development set-up in a value or a variable's name (`local`, `dev`, `LOCAL_DEV_ENV`); the test words count for a value only. */
const SETUP_DEV_WORDS = new Set(['dev', 'devel', 'develop', 'development', 'local']);
/** Words of a value that name a test or debugging set-up (`[ "$ENVIRONMENT" = "test" ]`, `ci`, `debug`). */
const SETUP_TEST_WORDS = new Set(['test', 'testing', 'ci', 'debug']);
/**
 * The other words a switch naming a set-up has (`LOCAL_DEV_ENV`, `IS_LOCAL`, `DJANGO_DEV_MODE`): a name
 * with any other word names something else that is local (`USE_LOCAL_STORAGE`), not the set-up.
 */
const SETUP_NAME_WORDS = new Set([
  'env',
  'environment',
  'mode',
  'is',
  'use',
  'run',
  'enable',
  'enabled',
  'setup',
  'server',
  'django',
  'app',
]);

/**
 * The word that says a development (or, for a value, test) set-up in a value a start script compares
 * a variable with (`local`, `localdev`, `development`, `ci`) or in a switch's name (`LOCAL_DEV_ENV`,
 * `DEV_MODE`): read word by word (`local-dev`, `LocalDev`), a word of two development words
 * (`localdev`, `devlocal`) too; undefined when none does, or a word says production (`prod-local`), or
 * a name has a word of something else (`USE_LOCAL_STORAGE`).
 */
export function developmentSetupWord(text: string, kind: 'value' | 'name'): string | undefined {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => PRODUCTION_WORD.test(w))) return undefined;
  const dev = (w: string): boolean => SETUP_DEV_WORDS.has(w) || (kind === 'value' && SETUP_TEST_WORDS.has(w));
  const compound = (w: string): boolean => {
    for (let k = 3; k < w.length - 2; k++) if (SETUP_DEV_WORDS.has(w.slice(0, k)) && SETUP_DEV_WORDS.has(w.slice(k))) return true;
    return false;
  };
  const hit = words.find((w) => dev(w) || compound(w));
  if (kind === 'name' && hit && !words.every((w) => dev(w) || compound(w) || SETUP_NAME_WORDS.has(w))) return undefined;
  return hit;
}
