// DDH107: Django's security.W018 — DEBUG is on in production.
import { deploymentVariable, isEnvironmentDefault } from '../../models/settings/query';
import { placeOf } from '../helpers';
import type { Rule } from '../types';

export const debugEnabled: Rule = {
  code: 'DDH107',
  name: 'debug-enabled',
  title: 'DEBUG is on',
  severity: 'error',
  group: 'settings-secrets',
  checklist: 'debug-off',
  django: ['security.W018'],
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W018`: `DEBUG` is true in the production settings, whether written there or inherited from a base module. Also, as information: a local settings module the deployment renders from a committed template (an Ansible template task or lookup), imported under `try`/`except ImportError:` that goes on, after the settings wrote `DEBUG = True` or a literal `SECRET_KEY`: where the deployment's file is missing, production starts with those values and no error (said once, on the `except` line).",
    why: 'With DEBUG on, every error shows a page with source code, local variables, the full settings (with secrets partly masked at best) and SQL queries to whoever triggers it. Django also keeps every SQL query in memory, which grows without bound in a long-running worker.',
    example: '# base.py\nDEBUG = True\n\n# production.py\nfrom .base import *   # DEBUG is still True here',
    fix: 'Set `DEBUG = False` in the production settings, or read it from the environment with a false default. The quick fixes do either: "Set DEBUG = False" edits (or adds to) the production module only, and is safe when development uses another module; reading it from the environment edits the line where DEBUG is written, which development may share, so it is unsafe.',
    good: 'DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"',
    references: [
      { title: 'Django: DEBUG', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#debug' },
      { title: 'Django deployment checklist: DEBUG', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug' },
    ],
  },
  check(ctx) {
    // a rendered local settings module imported under `except ImportError:` that goes on: without
    // it production runs the base's DEBUG = True (or its SECRET_KEY), said once where it is caught
    for (const n of ctx.notes)
      if (n.kind === 'import-fallback' && n.loc) {
        ctx.report({ loc: n.loc, message: n.message, severity: 'information' });
        break;
      }
    const q = ctx.settings.query('DEBUG');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    const v = q.value;
    if (isEnvironmentDefault(v)) return; // DDH108 reports a truthy environment default
    const on =
      v.kind === 'bool' ? v.v : v.kind === 'int' || v.kind === 'float' ? v.v !== 0 : v.kind === 'str' ? v.v !== '' : v.kind !== 'none';
    if (!on) return;
    const prodFile = ctx.project.production?.module.file;
    const inProduction = s.binding?.stmt?.file === prodFile;
    const setFalse = ctx.fixer.setSetting(s, 'False', {
      title: inProduction
        ? 'Set DEBUG = False'
        : `Set DEBUG = False in ${ctx.project.production?.module.name ?? 'the production settings'}`,
      safety: ctx.fixer.productionEditSafety(inProduction ? prodFile : prodFile),
    });
    const fromDeployment = deploymentVariable(v);
    ctx.report({
      loc: s.loc,
      message: fromDeployment
        ? `DEBUG is True in the production settings: ${fromDeployment.name} is set by ${placeOf(ctx, fromDeployment.loc)}, which this line reads; remove it from the production deployment (or set DEBUG = False in the production module).`
        : 'DEBUG is True in the production settings: set DEBUG = False (or read it from the environment with a False default).',
      // reading it from the environment changes nothing when the deployment sets the variable on
      fixes: [setFalse, fromDeployment ? undefined : ctx.fixer.toEnvironment(s, 'bool')].filter((f) => f !== undefined),
    });
  },
};
