// DDG310: a variable a production deployment file sets turns a dangerous setting on.
import { deploymentVariable, hasValue } from '../../models/settings/query';
import type { Value } from '../../eval/values';
import { placeOf } from '../helpers';
import { CORS_HEADERS } from '../../catalogue/libraries';

const ALLOW_ALL = CORS_HEADERS.settings.allowAllOrigins;
import type { Rule } from '../types';

/** Settings that must be off (true is the danger) or on (false is the danger) in production. */
const DANGEROUS: readonly { setting: string; danger: boolean; what: string }[] = [
  { setting: 'DEBUG', danger: true, what: 'error pages show source code, settings and SQL to anyone' },
  ...[ALLOW_ALL.name, ...ALLOW_ALL.fallbacks].map((setting) => ({
    setting,
    danger: true,
    what: 'every site may read the responses from its visitors’ browsers',
  })),
  { setting: 'SECURE_SSL_REDIRECT', danger: false, what: 'plain HTTP is served without a redirect' },
  { setting: 'SESSION_COOKIE_SECURE', danger: false, what: 'the session cookie is sent over plain HTTP' },
  { setting: 'CSRF_COOKIE_SECURE', danger: false, what: 'the CSRF cookie is sent over plain HTTP' },
];

function truth(v: Value): boolean | undefined {
  if (v.kind === 'bool') return v.v;
  if (v.kind === 'int' || v.kind === 'float') return v.v !== 0;
  if (v.kind === 'str') return v.v !== '';
  if (v.kind === 'none') return false;
  return undefined;
}

export const variableTurnsOn: Rule = {
  code: 'DDG310',
  name: 'deployment-variable-turns-on',
  title: 'A deployment file sets a variable that turns a dangerous setting on',
  severity: 'error',
  group: 'deployment',
  checklist: 'debug-off',
  target: 'settings',
  docs: {
    what: 'Reports a variable that a production deployment file gives the process serving the app (a Kubernetes manifest’s `env:` or a ConfigMap it loads, fly.toml’s `[env]`, render.yaml’s `envVars`, App Engine’s `env_variables`, a uWSGI `env =`, a supervisord `environment=`, the `environment:` or `env_file:` of a production compose service that starts the app server, including a `${VAR:-default}` default, and the committed template (`.env.example`, `.env_sample`) of an `env_file:` the repository does not have, as written unless the deployer changes it) when the settings read it into `DEBUG` (or `CORS_ALLOW_ALL_ORIGINS`) and it turns that on, or into `SECURE_SSL_REDIRECT`, `SESSION_COOKIE_SECURE` or `CSRF_COOKIE_SECURE` and it turns that off. The finding is on the value in the deployment file; the settings module itself may be right.',
    why: 'The settings read the variable so that development and production can differ; a deployment file that sets it to the development value ships development behaviour to production, while the settings file, reviewed on its own, looks safe.',
    example:
      '# k8s/config.yaml (a ConfigMap the Deployment loads with envFrom)\ndata:\n  DJANGO_DEBUG: "True"\n\n# settings.py\nDEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"',
    fix: 'Remove the variable from the production deployment file (the settings’ safe default then applies), or set it to the production value.',
    good: 'data:\n  DJANGO_DEBUG: "False"',
    references: [
      { title: 'Django deployment checklist: DEBUG', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug' },
      {
        title: 'Kubernetes: define environment variables for a container',
        url: 'https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/',
      },
    ],
  },
  check(ctx) {
    for (const d of DANGEROUS) {
      const q = ctx.settings.query(d.setting);
      if (!hasValue(q)) continue;
      const t = truth(q.value);
      if (t === undefined || t !== d.danger) continue;
      const ref = deploymentVariable(q.value);
      if (!ref) continue;
      // the platform in front redirects to HTTPS itself: Django's redirect is not needed there
      // (the processes of the file that sets the variable are behind that platform)
      if (
        d.setting === 'SECURE_SSL_REDIRECT' &&
        ctx.appServer.processes.workloads.some((w) => w.source.file === ref.loc.file && w.process.httpsRedirect)
      )
        continue;
      const reads = q.setting.loc ? ` (${placeOf(ctx, q.setting.loc)} reads it)` : '';
      // (a default an OpenShift Template's parameter gives, or compose's `${X:-default}`)
      const byTemplate = ctx.appServer.processes.workloads.some((w) => w.source.file === ref.loc.file && w.source.kind === 'kubernetes');
      const fallback = ref.template
        ? ` (the value ${ref.template} starts with, unless it is changed there)`
        : ref.fallbackOf
          ? byTemplate
            ? ` (the default of the template parameter ${ref.fallbackOf}, unless the template is processed with another value)`
            : ` (the default compose gives it unless ${ref.fallbackOf} is set where it runs)`
          : '';
      ctx.report({
        loc: ref.loc,
        message: `${ref.name} set here${fallback} turns ${d.setting} ${d.danger ? 'on' : 'off'} in production${reads}: ${d.what}; remove it from the production deployment or set the production value.`,
      });
    }
  },
};
