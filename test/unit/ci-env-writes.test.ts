// The environment files a CI job that deploys to production writes (readers/process/ciDeployRuns.ts
// with readers/process/envFileWrites.ts): which jobs are production's deploy jobs, and what their
// `run:` scripts write into `.env` from committed templates (`envsubst < tpl > .env`, `cat a b >
// .env`, `cat tpl | envsubst > .env`, `cp tpl .env`), `echo`/`printf` lines and `${{ secrets.X }}`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ciDeployRuns } from '../../server/src/analysis/readers/process/ciDeployRuns';
import { envFilesWritten } from '../../server/src/analysis/readers/process/envFileWrites';

const TEMPLATES: Record<string, string> = {
  '/r/deploy/env.tmpl': 'ENVIRONMENT=prod\nALLOWED_HOSTS="example.org"\nSECRET_KEY=${SECRET_KEY}\nEMAIL_URL=smtp://$EMAIL_HOST:25\n',
  '/r/deploy/extra.tmpl': 'WORKERS=4\n',
  '/r/app/env.tmpl': 'APP=sub\n',
};

function ciWritten(file: string, text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const run of ciDeployRuns(file, text)) {
    const read = (w: string) => {
      const abs = `${run.cwd}/${w}`.replace(/\/\.\//g, '/');
      const t = TEMPLATES[abs];
      return t === undefined ? undefined : { file: abs, text: t };
    };
    for (const [dest, vars] of envFilesWritten(file, text, run.script, { read })) {
      const key = `${run.job}:${run.cwd}:${dest}`;
      out[key] ??= {};
      for (const v of vars.values())
        out[key][v.name] = `${v.kind}${v.variable ? ` ${v.variable}` : ''}${v.kind === 'literal' ? ` ${v.value}` : ''}`;
    }
  }
  return out;
}

const workflow = (env: string, run: string, extra = '') =>
  `name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n${env}${extra}    steps:\n      - uses: actions/checkout@v4\n      - run: |\n${run
    .split('\n')
    .map((l) => `          ${l}`)
    .join('\n')}\n`;

describe('the .env a production deploy job of CI writes', () => {
  it('reads envsubst of a template, then echo and printf lines and a secret expression', () => {
    const text = workflow(
      '    environment: production\n',
      'envsubst < deploy/env.tmpl > .env\necho "API_KEY=${{ secrets.API_KEY }}" >> .env\nprintf "MODE=live\\n" >> .env\nscp .env server:/srv/app/.env',
    );
    assert.deepEqual(ciWritten('/r/.github/workflows/deploy.yml', text), {
      'deploy:/r:.env': {
        ENVIRONMENT: 'literal prod',
        ALLOWED_HOSTS: 'literal example.org',
        SECRET_KEY: 'environment SECRET_KEY',
        EMAIL_URL: 'computed',
        API_KEY: 'environment secrets.API_KEY',
        MODE: 'literal live',
      },
    });
  });

  it('reads cat of two templates, cat piped to envsubst, cp, and the working directory', () => {
    assert.deepEqual(
      ciWritten(
        '/r/.github/workflows/d.yml',
        workflow('    environment:\n      name: prod\n', 'cat deploy/env.tmpl deploy/extra.tmpl > .env'),
      ),
      {
        'deploy:/r:.env': {
          ENVIRONMENT: 'literal prod',
          ALLOWED_HOSTS: 'literal example.org',
          SECRET_KEY: 'computed',
          EMAIL_URL: 'computed',
          WORKERS: 'literal 4',
        },
      },
    );
    assert.deepEqual(
      ciWritten('/r/.github/workflows/d.yml', workflow('    environment: production\n', 'cat deploy/extra.tmpl | envsubst > .env')),
      { 'deploy:/r:.env': { WORKERS: 'literal 4' } },
    );
    assert.deepEqual(
      ciWritten(
        '/r/.github/workflows/d.yml',
        workflow(
          '    environment: production\n',
          'cp env.tmpl .env\necho "X=1" >> .env',
          '    defaults:\n      run:\n        working-directory: app\n',
        ),
      ),
      { 'deploy:/r/app:.env': { APP: 'literal sub', X: 'literal 1' } },
    );
  });

  it('reads no job for staging, review or tests, and a deploy job by its name without an environment', () => {
    const run = 'envsubst < deploy/env.tmpl > .env';
    assert.deepEqual(ciWritten('/r/.github/workflows/d.yml', workflow('    environment: staging\n', run)), {});
    assert.deepEqual(ciWritten('/r/.github/workflows/d.yml', workflow('    environment: review/${{ github.ref }}\n', run)), {});
    assert.deepEqual(ciWritten('/r/.github/workflows/d.yml', workflow('', run).replace('  deploy:', '  test:')), {});
    assert.deepEqual(Object.keys(ciWritten('/r/.github/workflows/d.yml', workflow('', run))), ['deploy:/r:.env']);
  });

  it('reads a GitLab job with a production environment or a deploy stage, in its script order', () => {
    const text = [
      'stages: [test, deploy]',
      'test:',
      '  stage: test',
      '  script:',
      '    - envsubst < deploy/env.tmpl > .env',
      'deploy_staging:',
      '  stage: deploy',
      '  environment: staging',
      '  script:',
      '    - envsubst < deploy/env.tmpl > .env',
      'deploy_prod:',
      '  stage: deploy',
      '  environment:',
      '    name: production',
      '  before_script:',
      '    - cat deploy/extra.tmpl > .env',
      '  script:',
      '    - echo "DEBUG=0" >> .env',
      '',
    ].join('\n');
    assert.deepEqual(ciWritten('/r/.gitlab-ci.yml', text), { 'deploy_prod:/r:.env': { WORKERS: 'literal 4', DEBUG: 'literal 0' } });
  });

  it('never throws on odd input', () => {
    for (const t of [
      '',
      'jobs: [',
      'jobs:\n  a:\n    steps: 3\n',
      'deploy:\n  script: 5\n',
      'jobs:\n  deploy:\n    environment: production\n    steps:\n      - run: "cat | envsubst >"\n',
    ])
      assert.doesNotThrow(() => ciWritten('/r/.github/workflows/x.yml', t));
  });
});
