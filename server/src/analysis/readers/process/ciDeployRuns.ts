// The shell scripts of the CI jobs that deploy to production (a GitHub Actions job whose
// `environment:` is production's, or whose name or steps say deploy/release/production; a GitLab CI
// job with a production environment or a deploy stage), each with the folder it runs in: what such
// a job writes into an environment file (`envsubst < deploy/env.tmpl > .env`, then copied to the
// server) is what production's compose file reads from it (models/process/writtenEnvFiles.ts). A
// job for a staging, review or development environment, or one that only runs the tests, deploys
// nothing production reads.
import * as path from 'node:path';
import { OTHER_ENVIRONMENT_WORDS, PRODUCTION_ENVIRONMENT_WORDS } from '../../catalogue/ciEnvironment';
import { MappedBuilder, type MappedText } from '../text';
import { parseYamlDocuments, yget, type YamlNode } from '../yaml';

/** One `run:` script (or GitLab `script:` line) of a production deploy job. */
export interface CiDeployRun {
  readonly script: MappedText;
  /** The folder it runs in (absolute). */
  readonly cwd: string;
  /** The job's name as written (its key). */
  readonly job: string;
}

const PRODUCTION_ENV = PRODUCTION_ENVIRONMENT_WORDS;
const OTHER_ENV = OTHER_ENVIRONMENT_WORDS;
const DEPLOY_WORDS = new Set(['deploy', 'deployment', 'release', 'production', 'prod']);
const TEST_WORDS = new Set(['test', 'tests', 'testing', 'lint', 'check', 'checks', 'ci', 'pytest', 'coverage']);
const GITLAB_RESERVED = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'types',
  'pages',
]);

function wordsOf(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether an environment's name says production: true, another environment: false, an expression or none: undefined. */
export function productionEnvironment(name: string | undefined): boolean | undefined {
  if (name === undefined) return undefined;
  const words = wordsOf(name);
  if (words.some((w) => OTHER_ENV.has(w))) return false;
  // (a name written with an expression, `${{ inputs.environment }}`, is not known)
  if (name.includes('$')) return undefined;
  return words.some((w) => PRODUCTION_ENV.has(w));
}

function scalar(n: YamlNode | undefined): string | undefined {
  return n?.kind === 'scalar' && typeof n.value === 'string' ? n.value : undefined;
}

function environmentName(job: YamlNode | undefined): string | undefined {
  const e = yget(job, 'environment');
  return scalar(e) ?? scalar(yget(e, 'name'));
}

/** The repository's root a workflow runs in: the folder holding .github/workflows; else the CI file's folder. */
export function ciRoot(file: string): string {
  const dir = path.dirname(file);
  return path.basename(dir) === 'workflows' && path.basename(path.dirname(dir)) === '.github' ? path.dirname(path.dirname(dir)) : dir;
}

/** The scripts of the production deploy jobs of a CI file (a GitHub workflow or .gitlab-ci.yml). Never throws. */
export function ciDeployRuns(file: string, text: string): CiDeployRun[] {
  const out: CiDeployRun[] = [];
  if (!/\.ya?ml$/i.test(file)) return out;
  let docs: readonly (YamlNode | undefined)[];
  try {
    docs = parseYamlDocuments(file, text).documents;
  } catch {
    return out;
  }
  const root = ciRoot(file);
  const gitlab = path.basename(file).toLowerCase().startsWith('.gitlab-ci');
  for (const doc of docs) {
    if (doc?.kind !== 'map') continue;
    if (!gitlab) {
      const jobs = yget(doc, 'jobs');
      if (jobs?.kind !== 'map') continue;
      for (const entry of jobs.entries) {
        const job = entry.value;
        const key = String(entry.key.value);
        const steps = yget(job, 'steps');
        if (steps?.kind !== 'seq') continue;
        const prod = productionEnvironment(environmentName(job));
        if (prod === false) continue;
        if (prod === undefined) {
          const names = wordsOf(`${key} ${scalar(yget(job, 'name')) ?? ''}`);
          if (names.some((w) => TEST_WORDS.has(w) || OTHER_ENV.has(w))) continue;
          const stepNames = steps.items.flatMap((s) => wordsOf(scalar(yget(s, 'name')) ?? ''));
          if (![...names, ...stepNames].some((w) => DEPLOY_WORDS.has(w))) continue;
        }
        const jobDir = scalar(yget(yget(yget(job, 'defaults'), 'run'), 'working-directory'));
        for (const step of steps.items) {
          const run = yget(step, 'run');
          if (run?.kind !== 'scalar' || typeof run.value !== 'string') continue;
          const dir = scalar(yget(step, 'working-directory')) ?? jobDir;
          // (a folder written with an expression is not known: its script is not read)
          if (dir?.includes('${{')) continue;
          out.push({ script: run.map, cwd: path.resolve(root, dir ?? '.'), job: key });
        }
      }
      continue;
    }
    const stages = doc.entries;
    for (const entry of stages) {
      const key = String(entry.key.value);
      const job = entry.value;
      if (key.startsWith('.') || GITLAB_RESERVED.has(key) || job?.kind !== 'map') continue;
      const prod = productionEnvironment(environmentName(job));
      if (prod === false) continue;
      if (prod === undefined) {
        const names = wordsOf(key);
        if (names.some((w) => TEST_WORDS.has(w) || OTHER_ENV.has(w))) continue;
        if (![...names, ...wordsOf(scalar(yget(job, 'stage')) ?? '')].some((w) => DEPLOY_WORDS.has(w))) continue;
      }
      // the job's lines as one script, in the order GitLab runs them
      const b = new MappedBuilder(file, 0);
      for (const part of ['before_script', 'script']) {
        const s = yget(job, part);
        const items = s?.kind === 'seq' ? s.items : s ? [s] : [];
        for (const item of items) {
          if (item?.kind !== 'scalar' || typeof item.value !== 'string') continue;
          b.pushMapped(item.map);
          b.push('\n', item.loc.end, item.loc.end);
        }
      }
      if (b.length > 0) out.push({ script: b.build(), cwd: root, job: key });
    }
  }
  return out;
}
