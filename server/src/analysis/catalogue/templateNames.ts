// The names under which a repository commits the template of a configuration module the deployment
// supplies (local_settings.example.py, settings.py.template, example_local.py…): read by the
// evaluator (an import of the missing module) and the project model (which module is production's).

/**
 * Whether `fileName` is the template of the configuration module `stem` that a deployment
 * supplies: configuration_example.py, local.py.example, config.py.prod.example,
 * prod_settings_template.py, example_local.py…
 */
export function isTemplateName(stem: string, fileName: string): boolean {
  // the stem compared as a string, the rest by a literal pattern
  if (fileName.endsWith(`${stem}.py`) && TEMPLATE_BEFORE.test(fileName.slice(0, -stem.length - 3))) return true;
  if (!fileName.startsWith(stem)) return false;
  const after = fileName.slice(stem.length);
  return TEMPLATE_AFTER.test(after) || (after.startsWith('.py') && TEMPLATE_AFTER_PY.test(after.slice(3)));
}

/** example_local.py: what comes before the stem. */
const TEMPLATE_BEFORE = /^(?:example|sample|template|dist|default|tmpl)[_-]$/;
/** local.example, local-sample.py: what comes after it. */
const TEMPLATE_AFTER = /^[._-](?:example|sample|template|dist|default|tmpl)(?:\.py)?$/;
/**
 * local.py.example, config.py.prod.example, settings.py.in, settings.py.j2: what comes after
 * `stem.py` (`.j2`, `.jinja`, `.jinja2`: a Jinja template an Ansible `template:` task renders,
 * https://docs.ansible.com/ansible/latest/collections/ansible/builtin/template_module.html, ansible-core 2.17).
 */
const TEMPLATE_AFTER_PY = /^(?:\.[\w-]+)*\.(?:example|sample|template|dist|default|tmpl|in|j2|jinja2?)$/;

/** A Python module's Jinja template (`settings.py.j2`): read with its Jinja parts as values filled in when it is rendered (readers/jinja.ts). */
export function isJinjaPythonTemplate(fileName: string): boolean {
  return /\.py\.(?:j2|jinja2?)$/.test(fileName);
}

/** A Python module's committed template by its name (`settings.py.sample`, `local_settings.py.example`): Python text under another extension. */
export function isPythonTemplate(fileName: string): boolean {
  const at = fileName.lastIndexOf('.py.');
  return at > 0 && TEMPLATE_AFTER_PY.test(fileName.slice(at + 3));
}

/**
 * The words of a Kubernetes manifest's name that say it is an example the deployer copies and fills
 * in (`env-configmap.example.yaml`, `secrets-sample.yml`). Not `template`: an OpenShift Template
 * (`template.yaml`) is processed and applied as it is.
 */
export const EXAMPLE_MANIFEST_WORDS: ReadonlySet<string> = new Set(['example', 'sample']);

/** The words that name a committed template an admin copies and fills in (`.env.example`, `app.env_sample`). */
const ENV_TEMPLATE_WORDS = ['example', 'sample', 'template', 'dist', 'default', 'defaults', 'tmpl'];

/**
 * Whether an environment file's name says it is a committed template (`.env.example`,
 * `env.sample`, `.env.dist`, `example.env`): a developer's or deployer's starting copy, not what a
 * process loads.
 */
export function isEnvTemplateName(fileName: string): boolean {
  return fileName
    .toLowerCase()
    .split(/[._-]/)
    .some((w) => ENV_TEMPLATE_WORDS.includes(w));
}

/**
 * The names, in order of preference, under which a repository commits the template of the
 * environment file `base` the deployment loads but keeps out of the repository (`.env`): a suffix
 * (`.env.example`, `.env_sample`, `.env-template`), and for a dotfile the name without its dot with
 * the word before or after it (`env.example`, `example.env`). The README's `cp .env_sample .env` is
 * the usual instruction; the template is what the deployer starts from.
 */
export function envTemplateNames(base: string, production = false): string[] {
  // (for production's file, one the name says is production's first: `.env.prod.example` beside
  // the development `.env.example`, both made into the one `.env` each setup loads)
  if (production) return [...PRODUCTION_ENV_WORDS.flatMap((p) => envTemplateNamesFor(base, p)), ...envTemplateNames(base)];
  return envTemplateNamesFor(base);
}

/** The words that say a template is production's (`.env.prod.example`, `.env.example.production`). */
const PRODUCTION_ENV_WORDS = ['prod', 'production', 'live'];

function envTemplateNamesFor(base: string, qualifier?: string): string[] {
  if (qualifier !== undefined) {
    const out: string[] = [];
    for (const w of ENV_TEMPLATE_WORDS)
      for (const sep of ['.', '_', '-']) out.push(`${base}${sep}${qualifier}${sep}${w}`, `${base}${sep}${w}${sep}${qualifier}`);
    return out;
  }
  const out: string[] = [];
  for (const w of ENV_TEMPLATE_WORDS) for (const sep of ['.', '_', '-']) out.push(`${base}${sep}${w}`);
  // (a file named for its setup, `.env.prod`: the word before that part too, `.env.example.prod`)
  const sep = Math.max(base.lastIndexOf('.'), base.lastIndexOf('_'), base.lastIndexOf('-'));
  if (sep > 1) for (const w of ENV_TEMPLATE_WORDS) out.push(`${base.slice(0, sep + 1)}${w}${base.slice(sep)}`);
  if (base.startsWith('.') && base.length > 1) {
    const bare = base.slice(1);
    for (const w of ENV_TEMPLATE_WORDS) out.push(`${bare}.${w}`, `${w}.${bare}`, `${w}${base}`);
  }
  return out;
}

/**
 * The names under which a repository commits the variables to copy into a platform's settings (its
 * dashboard's variables, `heroku config:set`), for the platform `platform` (`railway`, `heroku`,
 * `render`, `fly`): `railway.env.example`, `.env.railway.example`, `railway.env`… read as the
 * committed template of the environment the platform gives the app; and, for any platform, an example
 * named for production (`.env.production.example`, `.env.prod.sample`).
 */
export function platformEnvTemplateNames(platform: string): string[] {
  const out: string[] = [];
  for (const w of ENV_TEMPLATE_WORDS)
    for (const sep of ['.', '_', '-'])
      out.push(`${platform}.env${sep}${w}`, `${platform}${sep}${w}.env`, `.env.${platform}${sep}${w}`, `${w}.${platform}.env`);
  return out;
}

/** An example environment file named for production (`.env.production.example`, `.env.prod-sample`): see platformEnvTemplateNames. */
export function productionEnvTemplateNames(): string[] {
  return PRODUCTION_ENV_WORDS.flatMap((p) => envTemplateNames(`.env.${p}`));
}
