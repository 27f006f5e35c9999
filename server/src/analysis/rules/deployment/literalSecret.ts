// DDG311: a secret written as a literal value in a committed deployment file.
import { uwsgiEnv } from '../../readers/process/appConfigs';
import { credentialIn, isSecretName } from '../../secrets/index';
import type { Rule } from '../types';

/** Where each kind of deployment file keeps secrets instead. */
function advice(format: string | undefined): string {
  if (format?.startsWith('Kubernetes manifest'))
    return 'a Secret created outside the repository (kubectl create secret, sealed-secrets, an external secrets operator), read with valueFrom.secretKeyRef';
  if (format === 'fly.toml') return '`fly secrets set`';
  if (format === 'render.yaml') return '`sync: false` (set in the dashboard) or `generateValue: true`';
  if (format === 'DigitalOcean app spec') return 'a variable of `type: SECRET`';
  if (format === 'app.json') return '`"generator": "secret"` or a config var set with `heroku config:set`';
  if (format === 'App Engine app.yaml') return 'Secret Manager';
  if (format === 'compose') return 'an env_file kept out of the repository, or compose secrets';
  if (format === 'Dockerfile')
    return 'the runtime environment (never the image): the platform’s secrets, or a build secret (`RUN --mount=type=secret`) for build steps';
  return 'the platform’s secret store or an environment file outside the repository';
}

export const literalSecret: Rule = {
  code: 'DDG311',
  name: 'deployment-file-literal-secret',
  title: 'A secret written in a committed deployment file',
  severity: 'error',
  group: 'settings-secrets',
  checklist: 'secrets',
  target: 'process',
  docs: {
    what: 'Reports a credential written as a literal value in a production deployment file: a Kubernetes container’s `env:` value or a ConfigMap it loads, a committed Secret’s `stringData`/`data`, fly.toml’s `[env]`, render.yaml’s `envVars`, App Engine’s `env_variables`, a DigitalOcean app spec’s `envs`, app.json’s `env`, a uWSGI `env =` (or `--env` on a production uWSGI command line) or a supervisord `environment=`, and the `environment:` (a `${SECRET_KEY:-default}` default included) and committed `env_file:` of a production compose service or the `ENV` of a production Dockerfile that starts the app — under a secret name (`SECRET_KEY`, `*_PASSWORD`, `*_TOKEN`, `*_API_KEY`…) or in the shape of one (a password in a database URL, a known key format). Placeholders (`changeme`, `<your-key>`) and values filled in at deploy time (`${SECRET}`, `{{ .Values.secret }}`) are not reported.',
    why: 'The file is committed: everyone with access to the repository, its forks, CI logs and backups has the secret, and rotating it means rewriting history. With SECRET_KEY known, sessions, password-reset links and signed cookies can be forged.',
    example: '# k8s/web.yaml\nenv:\n  - name: SECRET_KEY\n    value: "k3#9x…"',
    fix: 'Move the value to the platform’s secret store (a Kubernetes Secret created outside the repository, `fly secrets set`, render’s `sync: false`), rotate the secret, since it has been published, and read it from there.',
    good: 'env:\n  - name: SECRET_KEY\n    valueFrom:\n      secretKeyRef:\n        name: django\n        key: secret-key',
    references: [
      { title: 'Kubernetes: Secrets good practices', url: 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/' },
      {
        title: 'Django deployment checklist: SECRET_KEY',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key',
      },
    ],
  },
  check(ctx) {
    const m = ctx.appServer.processes;
    if (
      m.workloads.length === 0 &&
      m.literals.length === 0 &&
      m.compose.length === 0 &&
      !m.invocations.some((i) => i.source.kind === 'dockerfile')
    )
      return ctx.notApplicable('the project has no manifest, platform file, app-server config, compose file or Dockerfile');
    const seen = new Set<string>();
    const report = (
      name: string,
      value: string,
      loc: { file: string; start: number; end: number },
      format: string | undefined,
      what: string,
    ): void => {
      const c = credentialIn(value, isSecretName(name), name);
      if (!c || c.placeholder) return;
      const key = `${loc.file}:${loc.start}`;
      if (seen.has(key)) return;
      seen.add(key);
      const shape = c.kind === 'url' ? 'a URL with a password' : c.kind === 'format' ? (c.label ?? 'a key') : 'a secret';
      ctx.report({
        loc,
        message: `${name} is written here as ${shape} in ${what}, a committed file: anyone with the repository has it; keep it in ${advice(format)}, and rotate it.`,
      });
    };
    for (const w of m.workloads) {
      if (!w.source.production) continue;
      for (const v of w.source.env.values()) {
        if (v.from || v.token.dynamic || /\$\{|\{\{|\$\(/.test(v.value)) continue;
        report(
          v.name,
          v.value,
          v.token.loc,
          w.source.format,
          w.source.format?.startsWith('Kubernetes manifest') ? 'a Kubernetes manifest' : (w.source.format ?? 'a deployment file'),
        );
      }
    }
    // the production compose services and Dockerfiles that start the app: their `environment:`
    // (with compose's `${SECRET_KEY:-default}` defaults), the committed env files they load, ENV
    const sources = new Set(
      m.invocations
        .filter((i) => i.source.production && i.server !== 'runserver' && (i.source.kind === 'compose' || i.source.kind === 'dockerfile'))
        .map((i) => i.source),
    );
    for (const source of sources) {
      for (const v of source.env.values()) {
        if (v.from || v.token.dynamic || /\$\{|\$\(/.test(v.value)) continue;
        const inFile = v.token.loc.file;
        const what =
          v.defaultOf !== undefined
            ? `the default of \${${v.defaultOf}:-…} in ${source.label}, used whenever ${v.defaultOf} is not set`
            : inFile !== source.file
              ? `an environment file ${source.label} loads`
              : source.kind === 'dockerfile'
                ? 'a Dockerfile ENV, kept in every layer of the image'
                : source.label;
        report(v.name, v.value, v.token.loc, source.kind === 'dockerfile' ? 'Dockerfile' : 'compose', what);
      }
    }
    // a production uWSGI command line's `--env NAME=value` (and the `env =` of the file it loads)
    for (const i of m.invocations) {
      if (!i.uwsgiConfig || !i.source.production) continue;
      for (const v of uwsgiEnv(i.uwsgiConfig).values()) {
        if (v.token.dynamic || /\$\{|\$\(/.test(v.value)) continue;
        report(
          v.name,
          v.value,
          v.token.loc,
          'uWSGI',
          v.token.loc.file === i.source.file ? `the uwsgi --env of ${i.source.label}` : 'a uWSGI configuration',
        );
      }
    }
    for (const l of m.literals) {
      if (l.env.token.dynamic) continue;
      report(l.env.name, l.env.value, l.env.token.loc, 'Kubernetes manifest', 'a Secret manifest');
    }
  },
};
