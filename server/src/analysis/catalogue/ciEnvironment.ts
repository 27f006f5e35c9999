// What a CI deploy job's script does with the committed templates it writes an environment file
// from (`envsubst < deploy/env.tmpl > .env`) and with the workflow's expressions in its `run:`
// (`echo "SECRET_KEY=${{ secrets.SECRET_KEY }}" >> .env`): the environment-file reader of CI jobs
// (readers/process/envFileWrites.ts, readers/process/ciDeployRuns.ts) reads each such value as set,
// its value not known here (it comes from the job's environment: its secrets and variables).
import type { Source } from './facts';

/** envsubst copies its input to its output with `$VARIABLE` and `${VARIABLE}` replaced by the environment's values. */
export const ENVSUBST_SUBSTITUTES: Source = {
  url: 'https://www.gnu.org/software/gettext/manual/html_node/envsubst-Invocation.html',
  quote:
    'In normal operation mode, standard input is copied to standard output, with references to environment variables of the form $VARIABLE or ${VARIABLE} being replaced with the corresponding values.',
  versions: 'GNU gettext-runtime 0.13 to 0.26',
};

/** A `${{ … }}` expression in a workflow (a `run:` script included) is evaluated by GitHub, and its value written in its place, before the step runs. */
export const GITHUB_EXPRESSIONS_REPLACED: Source = {
  url: 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections',
  quote:
    'The run command executes within a temporary shell script on the runner. Before the shell script is run, the expressions inside ${{ }} are evaluated and then substituted with the resulting values.',
  versions: 'GitHub Actions (docs.github.com, 2025)',
};

/** The contexts whose `${{ ctx.NAME }}` a deploy job's script writes as a value set where it deploys. */
export const GITHUB_VALUE_CONTEXTS = ['secrets', 'vars', 'env'] as const;

/** The environments a CI job names that are production's (`environment: production`), word by word; and those that are not. */
export const PRODUCTION_ENVIRONMENT_WORDS = new Set(['prod', 'production', 'prd', 'live']);
export const OTHER_ENVIRONMENT_WORDS = new Set([
  'staging',
  'stage',
  'stg',
  'review',
  'preview',
  'dev',
  'development',
  'develop',
  'test',
  'testing',
  'qa',
  'uat',
  'sandbox',
  'demo',
  'local',
  'ci',
]);
