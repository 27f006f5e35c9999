// A platform file committed as a template (`app.yaml.tmpl`, `fly.toml.j2`, `render.template.yaml`)
// that CI renders before it deploys (`envsubst <app.yaml.tmpl >app.yaml`, an Ansible or Jinja
// template task): read as the platform file it renders, its Jinja statements and comments blanked and
// each `{{ … }}` made a placeholder of the same length (every offset kept, jinja.ts). A variable whose
// value is or holds a substitution — `${VAR}` or `$VAR` (envsubst, a shell), `{{ … }}` (Jinja, a Go
// template) — is set, its value filled in at render time and not known here: never a literal, never
// a committed secret (as a Helm chart's `{{ .Values.x }}`, kubernetes/manifests.ts).
import * as path from 'node:path';
import { platformTemplateOf } from '../../files/scan';
import type { DeployEnv, DeployFile } from '../workload';
import { templateAsText } from '../jinja';

/** `{{ … }}` of a Jinja template, once made a placeholder (`${ttt}`, its length). */
const JINJA_PLACEHOLDER = /\$\{t{1,300}\}/;
/** What envsubst, a shell or a template engine fills in: `${VAR}`, `$VAR`, and the placeholder of a `{{ … }}`. */
const SUBSTITUTION = /\$[{A-Za-z_]/;
/** The substitution as written, shown in what the variable is set from. */
const WRITTEN = /\$\{[^{}\n]{1,100}\}|\$[A-Za-z_]\w{0,100}|\{\{[^{}\n]{0,100}\}\}/;
const WRITTEN_JINJA = /\{\{[^{}\n]{0,100}\}\}/;

/** The text a platform reader reads in place of a template's: `{{ … }}` a placeholder, `{% … %}` and `{# … #}` blanked. */
export function templateText(text: string): string {
  return templateAsText(text, (n) => `\${${'t'.repeat(Math.max(1, n - 3))}}`);
}

/**
 * `read`, the platform file's reading of the template's text (`templateText`), with each variable
 * that holds a substitution made set from the template, its value unknown. `syntax`: 'jinja' when
 * only `{{ … }}` is filled in (a `.j2` file: `$VAR` stays as written).
 */
export function asTemplate(file: string, text: string, syntax: 'jinja' | 'any', read: DeployFile): DeployFile {
  const name = path.basename(file);
  const fills = (value: string): boolean => (syntax === 'jinja' ? JINJA_PLACEHOLDER : SUBSTITUTION).test(value);
  const processes = read.processes.map((p) => {
    if (![...p.env.values()].some((v) => !v.from && fills(v.value))) return p;
    const env = new Map<string, DeployEnv>();
    for (const [k, v] of p.env) {
      if (v.from || !fills(v.value)) {
        env.set(k, v);
        continue;
      }
      // (what is written where the value is, its substitution: `${DJANGO_SECRET}`, `{{ secret_key }}`)
      // (a variable the platform sets from a field, App Engine's GAE_SERVICE from `service:`: its value)
      const written = syntax === 'jinja' ? WRITTEN_JINJA : WRITTEN;
      const at = v.token.loc.file === file ? text.slice(v.token.loc.start, Math.min(v.token.loc.end, v.token.loc.start + 4096)) : '';
      const shown = written.exec(at)?.[0] ?? (syntax === 'jinja' ? undefined : WRITTEN.exec(v.value)?.[0]);
      env.set(k, {
        ...v,
        value: '',
        token: { ...v.token, dynamic: true },
        from: `${name} when it is rendered (${shown ? `${shown}, ` : ''}not known here)`,
      });
    }
    return { ...p, env };
  });
  return { ...read, processes };
}

/**
 * The name of the platform file `file` renders (`app.yaml`) when it is a platform file's template
 * that fills something in (a sample without any substitution, copied and edited by hand, is not).
 */
export function renderedPlatformTemplate(file: string, textOf: () => string | undefined): string | undefined {
  const template = platformTemplateOf(file.replace(/\\/g, '/'));
  const text = template ? textOf() : undefined;
  if (!template || text === undefined) return undefined;
  const t = templateText(text.length > 1024 * 1024 ? text.slice(0, 1024 * 1024) : text);
  return (template.syntax === 'jinja' ? JINJA_PLACEHOLDER : SUBSTITUTION).test(t) ? path.basename(template.rendered) : undefined;
}
