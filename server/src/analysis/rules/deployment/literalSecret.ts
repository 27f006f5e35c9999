// DDG311: a secret written as a literal value in a committed deployment file.
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import { ciFolderReason, devReasonOfPath } from '../../readers/devPaths';
import { uwsgiEnv } from '../../readers/process/appConfigs';
import { subToken } from '../../readers/text';
import { composeServiceProduction, productionPythonDockerfiles, stageChain } from '../app-server/topology';
import {
  commentAbove,
  commentAfter,
  commentSaysReplaceMe,
  commentSaysStandIn,
  credentialIn,
  isAccessKeyId,
  isSecretName,
  unquote,
} from '../../secrets/index';
import { placeOf } from '../helpers';
import type { Rule } from '../types';

/** A Jinja template's file (an Ansible role's `env.j2`). */
function isJinja(file: string): boolean {
  return /\.(j2|jinja2?)$/.test(file);
}

/** A value a unit's environment takes from what Ansible renders: a template's, or a YAML variables' file's. */
function fromAnsible(file: string): boolean {
  return isJinja(file) || /\.ya?ml$/.test(file);
}

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
  if (format === 'env script')
    return 'a value the script generates when it runs (`$(openssl rand -base64 48)`), or an environment file kept out of the repository';
  if (format === 'Ansible template') return 'a variable encrypted with Ansible Vault (`ansible-vault encrypt_string`)';
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
    what: "Reports a credential written as a literal value in a production deployment file: a Kubernetes container’s `env:` value or a ConfigMap it loads, a committed Secret’s `stringData`/`data`, fly.toml’s `[env]`, render.yaml’s `envVars`, App Engine’s `env_variables`, a DigitalOcean app spec’s `envs`, app.json’s `env`, a uWSGI `env =` (or `--env` on a production uWSGI command line) or a supervisord `environment=`, the `environment:` (a `${SECRET_KEY:-default}` default included) and committed `env_file:` of a production compose service that starts the app (or the `.env` a committed script writes for it, a literal or a `${VAR:-default}` default it writes there, or the committed template it copies there unchanged: `cp env/.env.prod.example env/.env.prod` with nothing after it in the script editing the copy), the `environment:` of every other service of a production compose file (a database’s `POSTGRES_PASSWORD`), the `ENV` of every production Dockerfile that runs Python (whatever starts it), and a password option on a production command line (`createsuperuser --password …`, `--db-password=…`) — under a secret name (`SECRET_KEY`, `*_PASSWORD`, `*_TOKEN`, `*_API_KEY`, `RABBITMQ_ERLANG_COOKIE`, `FERNET_KEY`…) or in the shape of one (a password in a database URL, a known key format). When the same value is written in several places (one SECRET_KEY in each Dockerfile and as a compose default), each finding names the others. A `${VAR:-default}` default of a compose file is a warning: production runs with it only where VAR is not set in the environment compose runs in (a `.env` kept out of the repository, the shell), which the repository cannot show. A value its comment tells whoever deploys to replace (`${POSTGRES_PASSWORD:-shop}  # Change me !`, `# replace this`) is a warning too: a placeholder, which production runs with only where nobody replaced it. A value the comment above calls a stand-in (`# a bogus key so that collectstatic runs`: bogus, dummy, fake, placeholder, throwaway, collectstatic) is a warning instead: nothing leaks, but production runs with it wherever it does not set the variable itself. A Dockerfile `ENV` followed by a build step that runs Django (`RUN python manage.py collectstatic`), in an image whose every production platform process gets the variable from the platform (a config var app.json requires or generates, a value render generates), is a warning too: the platform’s value overrides it at runtime, but every layer of the image keeps it. An access key’s ID (`*_ACCESS_KEY_ID`, an AWS `AKIA…` or Garage `GK…` id) is the public half of a key pair and is not reported (its secret access key is). Placeholders (`changeme`, `<your-key>`), the values of a committed example the deployer copies and fills in (a ConfigMap of `env-configmap.example.yaml`, a `secret.template.yaml` beside a kustomization that does not list it: `kubectl apply -k` never deploys it) values filled in at deploy time (`${SECRET}`, `{{ .Values.secret }}`) and values an app whose settings dynaconf loads reads by their token as None, a flag or other settings (`MYAPP_DB_PASSWORD: '@none None'`, `'@bool true'`, `'@format {this.DB_PASSWORD}'`; a literal after `@str` or around a template’s references stays one) are not reported; neither is a development compose file or image (also one that is the developers’ stack by two signs — runserver picked as the mode of the image’s start script, `DJANGO_DEBUG: \"1\"`, the checkout mounted from `$PWD`, runserver’s port published — while production serves the app elsewhere, such as from the image CI pushes, or a docker-compose.yml whose docker-compose.override.yml, merged over it by a plain `docker compose up`, runs the app with the development server or a development settings module while a Procfile or a platform serves it, or one whose development switch (`ENV: localdev`) production's values file of a Helm chart not in the repository sets otherwise (`docker/values-prod.yaml`: `{name: ENV, value: prod}`)), nor a compose file named for staging (`docker-compose-staging.yml`) beside a compose file that runs the app in production (alone, a staging file is taken as production’s).",
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
    const ansibleEnv = m.invocations.some(
      (i) =>
        i.source.kind === 'systemd' &&
        [...i.source.env.values()].some((v) => v.token.loc.file !== i.source.file && fromAnsible(v.token.loc.file)),
    );
    if (m.workloads.length === 0 && m.literals.length === 0 && m.compose.length === 0 && m.dockerfiles.length === 0 && !ansibleEnv)
      return ctx.notApplicable('the project has no manifest, platform file, app-server config, compose file or Dockerfile');
    const seen = new Set<string>();
    // a Dockerfile ENV followed by a build step that runs Django, in an image whose every production
    // platform process gets the variable from the platform: the build step's place and the platform's
    const buildStepValue = (name: string, loc: Loc): { run: Loc; platform: string } | undefined => {
      const d = m.dockerfiles.find((x) => x.file === loc.file);
      const stage = d?.stages.find((st) => st.env.get(name)?.token.loc.start === loc.start);
      const run = stage?.instructions.find(
        (i) => i.keyword === 'RUN' && i.keywordLoc.start > loc.start && /\b(manage\.py|django-admin|collectstatic)\b/.test(i.args.text),
      );
      if (!run) return undefined;
      const runners = m.workloads.filter((w) => w.source.production && w.process.dockerfile?.file === loc.file);
      if (runners.length === 0) return undefined;
      const heroku = (f: string | undefined): boolean => f === 'app.json' || f === 'heroku.yml';
      const places: string[] = [];
      for (const r of runners) {
        // the platform's own files: the runner's, and app.json beside heroku.yml (one Heroku app)
        const peers = m.workloads.filter(
          (w) =>
            w.source.file === r.source.file ||
            (heroku(r.source.format) && heroku(w.source.format) && path.dirname(w.source.file) === path.dirname(r.source.file)),
        );
        const v = peers.map((p) => p.source.env.get(name)).find((e) => e?.from && e.token.loc.file !== loc.file);
        if (!v) return undefined;
        const place = `${v.from} (${placeOf(ctx, v.token.loc)})`;
        if (!places.includes(place)) places.push(place);
      }
      return { run: run.keywordLoc, platform: places.join('; ') };
    };
    // every literal found, reported at the end with the other places the same value is written
    const found: { value: string; loc: Loc; message: string; severity?: 'warning' }[] = [];
    // defaultOf: the variable whose `${VAR:-default}` default this is (compose): production runs with it
    // only where VAR is not set, which the environment compose runs in (a .env kept out of the
    // repository, the shell) may well do — said as such, a warning
    const report = (name: string, value: string, loc: Loc, format: string | undefined, what: string, defaultOf?: string): void => {
      const c = credentialIn(value, isSecretName(name), name);
      if (!c || c.placeholder) return;
      // (quoted as a whole, `KEY='secret cookie here'` in compose's list form: a placeholder inside the quotes too)
      const inner = unquote(value);
      if (inner !== value.trim() && credentialIn(inner, isSecretName(name), name)?.placeholder !== false) return;
      // an access key's ID is the public half of the pair: the secret access key is the secret
      if (isAccessKeyId(name, value)) return;
      const key = `${loc.file}:${loc.start}`;
      if (seen.has(key)) return;
      seen.add(key);
      // a value the comment above calls a stand-in (a bogus key for the build's collectstatic): no
      // secret leaks, but where production does not set the variable itself it runs with this one
      const text = ctx.fileText(loc.file);
      const standIn = text !== undefined && c.kind === 'name' ? commentSaysStandIn(commentAbove(text, loc.start)) : undefined;
      // a value its comment tells whoever deploys to replace (`${PW:-libretime}  # Change me !`)
      const replaceMe =
        text !== undefined && c.kind === 'name'
          ? (commentSaysReplaceMe(commentAfter(text, loc.end)) ?? commentSaysReplaceMe(commentAbove(text, loc.start)))
          : undefined;
      if (replaceMe) {
        found.push({
          value: value.trim(),
          loc,
          severity: 'warning',
          message: `${name} is a placeholder here (its comment says "${replaceMe}") in ${what}: where ${defaultOf ?? name} is not set where it runs, production runs with this value, which anyone with the repository knows; ${defaultOf && format === 'compose' ? `writing \`:?\` for \`:-\` stops compose without it` : `keep it in ${advice(format)}`}`,
        });
        return;
      }
      if (standIn) {
        found.push({
          value: value.trim(),
          loc,
          severity: 'warning',
          message: `${name} is a stand-in here (the comment above says "${standIn}") in ${what}: where production does not set ${name} itself, it runs with this value, which anyone with the repository knows; give it to the build step alone (\`RUN ${name}=… python manage.py collectstatic\`) so that a missing ${name} stops the app instead`,
        });
        return;
      }
      // a Dockerfile ENV for a build step (`RUN python manage.py collectstatic` below it) whose
      // variable the platform that runs the image supplies at runtime (a config var app.json
      // requires, a value render generates): production runs with the platform's value, but the
      // image still carries this one
      const build = c.kind === 'name' ? buildStepValue(name, loc) : undefined;
      if (build) {
        found.push({
          value: value.trim(),
          loc,
          severity: 'warning',
          message: `${name} is written here in a Dockerfile ENV for the build step at ${placeOf(ctx, build.run)}; at runtime ${build.platform} overrides it, but every layer of the image keeps this value; give it to the build step alone (\`RUN ${name}=… python manage.py collectstatic\`)`,
        });
        return;
      }
      const shape = c.kind === 'url' ? 'a URL with a password' : c.kind === 'format' ? (c.label ?? 'a key') : 'a secret';
      found.push({
        value: value.trim(),
        loc,
        ...(defaultOf !== undefined ? { severity: 'warning' as const } : {}),
        message:
          defaultOf !== undefined
            ? format === 'compose'
              ? `${name} is written here as ${shape} in ${what}: unless a .env kept out of the repository sets ${defaultOf}, production runs with a value anyone with the repository has; writing \`:?\` for \`:-\` stops compose without it`
              : format === 'env script'
                ? `${name} is written here as ${shape} in ${what}: unless ${defaultOf} is set where the script runs, production runs with a value anyone with the repository has; keep it in ${advice(format)}`
                : `${name} is written here as ${shape} in ${what}: unless the template is processed with another ${defaultOf}, production runs with a value anyone with the repository has; make the parameter required or generated`
            : `${name} is written here as ${shape} in ${what}, a committed file: anyone with the repository has it; keep it in ${advice(format)}, and rotate it`,
      });
    };
    for (const w of m.workloads) {
      if (!w.source.production) continue;
      for (const v of w.source.env.values()) {
        // (a committed example's value: what the deployer replaces, see EnvValue.template)
        if (v.from || v.template || v.token.dynamic || /\$\{|\{\{|\$\(/.test(v.value)) continue;
        const platform = w.source.format?.startsWith('Kubernetes manifest')
          ? 'a Kubernetes manifest'
          : (w.source.format ?? 'a deployment file');
        // a platform process gets its image's ENV too (heroku.yml's web runs the Dockerfile's image):
        // the value is written in that Dockerfile, and kept in every layer of the image
        const inImage = v.token.loc.file !== w.source.file && path.basename(v.token.loc.file).toLowerCase().includes('dockerfile');
        report(
          v.name,
          v.value,
          v.token.loc,
          inImage ? 'Dockerfile' : w.source.format,
          inImage ? `a Dockerfile ENV of the image ${platform} runs, kept in every layer of the image` : platform,
        );
      }
    }
    // the production compose services and Dockerfiles that start the app: their `environment:`
    // (with compose's `${SECRET_KEY:-default}` defaults), the committed env files they load, ENV
    const serving = m.invocations.filter((i) => i.source.production && i.server !== 'runserver');
    const sources = new Set([
      ...serving.filter((i) => i.source.kind === 'compose' || i.source.kind === 'dockerfile').map((i) => i.source),
      // (a compose service that starts the app through its image's own command: the environment
      // that command gets, its env files and `environment:`, models/process/starters.ts envSource)
      // (or through a command of its own that runs the image's start script, `command: /start`: that
      // service's own source, its env files and `environment:`)
      ...serving.flatMap((i) =>
        (m.starters.get(i.source) ?? []).flatMap((st) => {
          if (!st.production) return [];
          const own = st.envSource ?? (st.source?.kind === 'compose' ? st.source : undefined);
          return own ? [own] : [];
        }),
      ),
    ]);
    for (const source of sources) {
      for (const v of source.env.values()) {
        if (v.from || v.template || v.token.dynamic || /\$\{|\$\(/.test(v.value)) continue;
        const inFile = v.token.loc.file;
        const what = v.copiedBy
          ? `the environment file ${v.copiedBy}, which ${source.label} loads`
          : v.writtenBy
            ? `the environment file ${v.writtenBy} writes, which ${source.label} loads`
            : v.defaultOf !== undefined
              ? source.kind === 'kubernetes'
                ? `the default of the template parameter ${v.defaultOf} in ${source.label}`
                : `the default of \${${v.defaultOf}:-…} in ${source.label}`
              : inFile !== source.file
                ? `an environment file ${source.label} loads`
                : source.kind === 'dockerfile'
                  ? 'a Dockerfile ENV, kept in every layer of the image'
                  : source.label;
        report(
          v.name,
          v.value,
          v.token.loc,
          v.writtenBy
            ? 'env script'
            : source.kind === 'dockerfile'
              ? 'Dockerfile'
              : source.kind === 'kubernetes'
                ? 'Kubernetes manifest'
                : 'compose',
          what,
          v.defaultOf,
        );
      }
    }
    // a production systemd unit's EnvironmentFile= that an Ansible template task of its role renders
    // (models/process/sources/systemd.ts ansibleEnvTemplate): the template's literal values
    for (const source of new Set(serving.filter((i) => i.source.kind === 'systemd').map((i) => i.source))) {
      for (const v of source.env.values()) {
        if (v.from || v.template || v.token.dynamic || v.token.loc.file === source.file || !fromAnsible(v.token.loc.file)) continue;
        if (/\$\{|\$\(|\{\{/.test(v.value)) continue;
        // (a template's literal, or the value of the variable it renders, where that variable is set)
        report(
          v.name,
          v.value,
          v.token.loc,
          'Ansible template',
          isJinja(v.token.loc.file)
            ? `the environment file template ${source.label} loads once Ansible renders it`
            : `the Ansible variables rendered into the environment file ${source.label} loads`,
        );
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
      // (a Secret of the development cluster's dependencies: k8s/envs/local-deps/postgres/secret.yaml)
      const rel = path.relative(ctx.project.root, l.file);
      if (devReasonOfPath(rel) ?? ciFolderReason(rel)) continue;
      report(l.env.name, l.env.value, l.env.token.loc, 'Kubernetes manifest', 'a Secret manifest');
    }
    // the other services of a production compose file (a database beside the app: POSTGRES_PASSWORD),
    // as written: a literal, or the default of `${VAR:-default}`
    for (const c of m.compose) {
      const base = path.basename(c.file);
      for (const s of c.services) {
        if (!composeServiceProduction(ctx.appServer, ctx.project, c.file, s)) continue;
        for (const [name, v] of s.environment) {
          const i = v.interpolates;
          const literal = i ? i.default : v.token.dynamic || /\$\{|\$\(/.test(v.value) ? undefined : v.token;
          if (!literal || literal.dynamic) continue;
          report(
            name,
            literal.text,
            literal.loc,
            'compose',
            i ? `the default of \${${i.name}:-…} in ${base} (service ${s.name})` : `${base} (service ${s.name})`,
            i?.name,
          );
        }
      }
    }
    // the ENV of every production image that runs Python, whatever starts it (a script, supervisord)
    for (const d of productionPythonDockerfiles(ctx.appServer, ctx.project))
      for (const st of stageChain(d))
        for (const [name, v] of st.env) {
          if (v.token.dynamic || /\$\{|\$\(/.test(v.value)) continue;
          report(name, v.value, v.token.loc, 'Dockerfile', 'a Dockerfile ENV, kept in every layer of the image');
        }
    // a password given on a production command line (`createsuperuser --password admin`, `--db-password=…`)
    for (const t of m.tasks) {
      if (!t.source.production) continue;
      const args = t.task.args;
      for (let k = 0; k < args.length; k++) {
        const opt = /^--?([A-Za-z][\w-]*)(=?)/.exec(args[k]!.text);
        if (!opt || !isSecretName(opt[1]!)) continue;
        const value = opt[2] ? subToken(args[k]!, opt[0].length, args[k]!.text.length) : args[k + 1];
        if (!value || value.dynamic || value.text.startsWith('-')) continue;
        report(`--${opt[1]}`, value.text, value.loc, t.source.format ?? t.source.kind, `the command line of ${t.source.label}`);
      }
    }
    for (const f of found) {
      const others = found.filter((o) => o !== f && o.value === f.value);
      const places = others.map((o) => placeOf(ctx, o.loc));
      const also =
        others.length === 0
          ? ''
          : ` (the same value is also written in ${places.slice(0, 3).join(', ')}${places.length > 3 ? ` and ${places.length - 3} more` : ''})`;
      ctx.report({ loc: f.loc, message: `${f.message}${also}.`, ...(f.severity ? { severity: f.severity } : {}) });
    }
  },
};
