// DDH101: SECRET_KEY written in the settings instead of read from the environment.
import { isWrittenInCode, unknownReason } from '../helpers';
import type { Rule } from '../types';

export const hardcodedSecretKey: Rule = {
  code: 'DDH101',
  name: 'hardcoded-secret-key',
  title: 'SECRET_KEY is hardcoded',
  severity: 'error',
  group: 'settings-secrets',
  checklist: 'secret-key',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Flags a `SECRET_KEY` that the production settings write as a literal (or build from literals), even a long random one.',
    why:
      'Everyone who can read the repository — every clone, fork, CI log and backup — holds the key that signs sessions, password-reset links and signed cookies, and can forge them. A key in git cannot be rotated without a commit, so it never is.',
    example: 'SECRET_KEY = "k3v$9x!b2...a-long-random-string"',
    fix:
      'Read the key from the environment (or a secrets manager) with no default, so that a missing key stops the deployment instead of falling back to a known one. Then rotate the key: the old one is in the history for good. The quick fix rewrites the value to an environment lookup in the style the project uses (os.environ, django-environ or python-decouple) and can add the variable name to `.env.example`; it is unsafe because the deployment must then provide the variable.',
    good: 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    references: [
      { title: 'Django: SECRET_KEY', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key' },
      { title: 'Django deployment checklist: SECRET_KEY', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key' },
    ],
  },
  check(ctx) {
    const s = ctx.settings.get('SECRET_KEY');
    const v = s.value;
    if (!s.isSet) return ctx.notApplicable('SECRET_KEY is not set (see DDH102)');
    if (v.kind === 'unknown') {
      if (v.origin === 'env' || v.producedBy === 'file' || v.producedBy === 'generated') return;
      return ctx.unknown(unknownReason(s), s.loc);
    }
    if (v.kind !== 'str' || !isWrittenInCode(v)) return;
    const varName = ctx.fixer.envVarName('SECRET_KEY');
    ctx.report({
      loc: s.loc,
      message: `SECRET_KEY is hardcoded in the settings: read it from the environment (e.g. ${varName}) and rotate the key.`,
      fixes: [ctx.fixer.toEnvironment(s, 'secret'), ctx.fixer.envExample(varName)].filter((f) => f !== undefined),
    });
  },
};
