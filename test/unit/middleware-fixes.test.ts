// The middleware rules' quick fixes, text for text: which entries move and where, what stays where it
// was (comments, blank lines, separators, line endings), and when no fix is offered at all.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { applyEdits } from '../../server/src/analysis/rules/fixes/edits';
import { MAX_VERIFIED_PER_LIST } from '../../server/src/analysis/rules/fixes/listEdits';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import type { Finding, Fix, RuleContext } from '../../server/src/analysis/rules/types';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { withCheck } from '../helpers/ruleStub';
import { RULES } from '../../server/src/analysis/rules/registry';

const ROOT = '/proj';
const HEAD = 'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n\n';
/** An origin django-cors-headers allows: without one it adds no CORS header, and DDH503 does not apply. */
const ORIGINS = 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n';

type Files = Record<string, string>;

/** A project with one settings module (`settings`) or a settings package (`files` under mysite/settings/). */
function project(files: Files, settingsModule = 'mysite.settings'): Files {
  return {
    'manage.py': `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${settingsModule}")\n`,
    'mysite/__init__.py': '',
    ...files,
  };
}

function analyze(files: Files): Finding[] {
  const fs = new MemoryFileSystem();
  for (const [f, t] of Object.entries(files)) fs.write(`${ROOT}/${f}`, t);
  return analyzeWorkspace(new Workspace(fs, [ROOT]), {}).projects.flatMap((p) => p.findings);
}

function only(findings: Finding[], code: string): Finding {
  const found = findings.filter((f) => f.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${found.length}: ${findings.map((f) => `${f.code} ${f.message}`).join(' | ')}`);
  return found[0]!;
}

function apply(files: Files, fix: Fix): Files {
  const out = { ...files };
  for (const [f, t] of Object.entries(files)) {
    const edits = fix.edits.filter((e) => e.file === `${ROOT}/${f}`);
    if (edits.length) out[f] = applyEdits(t, edits);
  }
  return out;
}

/** The finding's fix with this title, applied; the finding is gone afterwards. */
function fixed(files: Files, code: string, title: string): { files: Files; fix: Fix } {
  const finding = only(analyze(files), code);
  const fix = finding.fixes.find((f) => f.title === title);
  assert.ok(fix, `no fix "${title}" on ${code}; offered: ${finding.fixes.map((f) => `"${f.title}"`).join(', ') || 'none'}`);
  const after = apply(files, fix);
  assert.ok(!analyze(after).some((f) => f.code === code), `${code} is still reported after "${title}"`);
  return { files: after, fix };
}

describe('middleware quick fixes', () => {
  before(async () => {
    await loadParser();
  });

  it('moves whole lines with their comments, keeping blank lines and commented-out entries in place', () => {
    const settings =
      HEAD +
      'MIDDLEWARE = [  # order matters\n' +
      '    # redirects first\n' +
      '    "django.middleware.common.CommonMiddleware",\n' +
      '    "django.contrib.sessions.middleware.SessionMiddleware",\n' +
      '\n' +
      '    # HTTPS redirect and headers\n' +
      '    "django.middleware.security.SecurityMiddleware",\n' +
      '    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files\n' +
      '    # "debug_toolbar.middleware.DebugToolbarMiddleware",\n' +
      '    "django.middleware.csrf.CsrfViewMiddleware"\n' +
      ']\n';
    const { files, fix } = fixed(
      project({ 'mysite/settings.py': settings }),
      'DDH501',
      'Move SecurityMiddleware (with the WhiteNoiseMiddleware below it) to the top of MIDDLEWARE',
    );
    assert.equal(fix.safety, 'safe');
    assert.equal(
      files['mysite/settings.py'],
      HEAD +
        'MIDDLEWARE = [  # order matters\n' +
        '    # HTTPS redirect and headers\n' +
        '    "django.middleware.security.SecurityMiddleware",\n' +
        '    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files\n' +
        '    # redirects first\n' +
        '    "django.middleware.common.CommonMiddleware",\n' +
        '    "django.contrib.sessions.middleware.SessionMiddleware",\n' +
        '\n' +
        '    # "debug_toolbar.middleware.DebugToolbarMiddleware",\n' +
        '    "django.middleware.csrf.CsrfViewMiddleware"\n' +
        ']\n',
    );
  });

  it('keeps CRLF line endings and gives a moved last entry its comma', () => {
    const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
    const list = (...lines: string[]): string => crlf(HEAD + 'MIDDLEWARE = [\n' + lines.map((l) => `    ${l}\n`).join('') + ']\n');
    const settings = list(
      '"django.middleware.security.SecurityMiddleware",',
      '"django.contrib.auth.middleware.AuthenticationMiddleware",',
      '"django.contrib.messages.middleware.MessageMiddleware",',
      '"django.contrib.sessions.middleware.SessionMiddleware"  # needed by the two above',
    );
    const { files } = fixed(project({ 'mysite/settings.py': settings }), 'DDH504', 'Move SessionMiddleware above AuthenticationMiddleware');
    assert.equal(
      files['mysite/settings.py'],
      list(
        '"django.middleware.security.SecurityMiddleware",',
        '"django.contrib.sessions.middleware.SessionMiddleware",  # needed by the two above',
        '"django.contrib.auth.middleware.AuthenticationMiddleware",',
        '"django.contrib.messages.middleware.MessageMiddleware",',
      ),
    );
  });

  it('adds the comma the old last entry lacks when an entry moves below it', () => {
    const settings =
      HEAD +
      'MIDDLEWARE = [\n' +
      '    "django.middleware.cache.UpdateCacheMiddleware",\n' +
      '    "django.middleware.security.SecurityMiddleware",\n' +
      '    "django.middleware.cache.FetchFromCacheMiddleware",\n' +
      '    "django.middleware.locale.LocaleMiddleware"\n' +
      ']\n';
    const { files, fix } = fixed(
      project({ 'mysite/settings.py': settings }),
      'DDH505',
      'Move FetchFromCacheMiddleware below LocaleMiddleware (changes behaviour: changes which pages the site cache serves)',
    );
    assert.equal(fix.safety, 'unsafe');
    assert.equal(
      files['mysite/settings.py'],
      HEAD +
        'MIDDLEWARE = [\n' +
        '    "django.middleware.cache.UpdateCacheMiddleware",\n' +
        '    "django.middleware.security.SecurityMiddleware",\n' +
        '    "django.middleware.locale.LocaleMiddleware",\n' +
        '    "django.middleware.cache.FetchFromCacheMiddleware",\n' +
        ']\n',
    );
  });

  it('reorders a single-line list in place, separators and quotes untouched', () => {
    const settings =
      HEAD +
      // WhiteNoise made to send no CORS header of its own, so that CorsMiddleware must come first
      'WHITENOISE_ALLOW_ALL_ORIGINS = False\n' +
      ORIGINS +
      "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware',  'whitenoise.middleware.WhiteNoiseMiddleware', 'corsheaders.middleware.CorsMiddleware', 'django.middleware.common.CommonMiddleware']\n";
    const { files } = fixed(project({ 'mysite/settings.py': settings }), 'DDH503', 'Move CorsMiddleware directly below SecurityMiddleware');
    assert.equal(
      files['mysite/settings.py'],
      HEAD +
        'WHITENOISE_ALLOW_ALL_ORIGINS = False\n' +
        ORIGINS +
        "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware',  'corsheaders.middleware.CorsMiddleware', 'whitenoise.middleware.WhiteNoiseMiddleware', 'django.middleware.common.CommonMiddleware']\n",
    );
  });

  it('removes a repeated entry but keeps its comment, and keeps a one-entry tuple a tuple', () => {
    const listed =
      HEAD +
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.security.SecurityMiddleware",  # added for the proxy\n]\n';
    const a = fixed(project({ 'mysite/settings.py': listed }), 'DDH507', 'Remove the repeated SecurityMiddleware entry');
    assert.equal(a.fix.safety, 'safe');
    assert.equal(
      a.files['mysite/settings.py'],
      HEAD +
        'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    # added for the proxy\n]\n',
    );
    const tuple =
      HEAD + 'MIDDLEWARE = ("django.middleware.security.SecurityMiddleware", "django.middleware.security.SecurityMiddleware")\n';
    const b = fixed(project({ 'mysite/settings.py': tuple }), 'DDH507', 'Remove the repeated SecurityMiddleware entry');
    assert.equal(b.files['mysite/settings.py'], HEAD + 'MIDDLEWARE = ("django.middleware.security.SecurityMiddleware",)\n');
  });

  it("rewrites the production module's `+=` into an insert at the right position, leaving base.py alone", () => {
    const base =
      HEAD +
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n';
    const production =
      'from .base import *  # noqa: F403\n\nMIDDLEWARE += ["whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405\nSECURE_SSL_REDIRECT = True\n';
    const files = project(
      { 'mysite/settings/__init__.py': '', 'mysite/settings/base.py': base, 'mysite/settings/production.py': production },
      'mysite.settings.production',
    );
    const { files: after, fix } = fixed(files, 'DDH502', 'Move WhiteNoiseMiddleware directly below SecurityMiddleware');
    assert.ok(fix.edits.every((e) => e.file.endsWith('production.py')));
    assert.equal(
      after['mysite/settings/production.py'],
      'from .base import *  # noqa: F403\n\nMIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405\nSECURE_SSL_REDIRECT = True\n',
    );
  });

  it('edits the base list when production only prepends to it', () => {
    const base =
      HEAD +
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n]\n';
    const production =
      'from .base import *  # noqa: F403\n\nMIDDLEWARE.insert(0, "django.middleware.cache.UpdateCacheMiddleware")  # noqa: F405\nMIDDLEWARE.append("django.middleware.cache.FetchFromCacheMiddleware")  # noqa: F405\n';
    const files = project(
      { 'mysite/settings/__init__.py': '', 'mysite/settings/base.py': base, 'mysite/settings/production.py': production },
      'mysite.settings.production',
    );
    const { files: after } = fixed(files, 'DDH504', 'Move SessionMiddleware above AuthenticationMiddleware');
    assert.equal(after['mysite/settings/production.py'], production);
    assert.equal(
      after['mysite/settings/base.py'],
      HEAD +
        'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n]\n',
    );
  });

  it('offers no fix when another module inserts into the list at a position a move would shift', () => {
    const base =
      HEAD +
      'MIDDLEWARE = [\n    "django.middleware.common.CommonMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.security.SecurityMiddleware",\n]\n';
    const production =
      'from .base import *  # noqa: F403\n\nMIDDLEWARE.insert(2, "django.middleware.locale.LocaleMiddleware")  # noqa: F405\n';
    const files = project(
      { 'mysite/settings/__init__.py': '', 'mysite/settings/base.py': base, 'mysite/settings/production.py': production },
      'mysite.settings.production',
    );
    assert.deepEqual(only(analyze(files), 'DDH501').fixes, []);
    // with an entry put at the front instead (CorsMiddleware may precede SecurityMiddleware), the move is certain, and offered
    const prepend = 'from .base import *  # noqa: F403\n\nMIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")  # noqa: F405\n';
    assert.deepEqual(
      only(analyze({ ...files, 'mysite/settings/production.py': prepend }), 'DDH501').fixes.map((f) => f.title),
      ['Move SecurityMiddleware above CommonMiddleware'],
    );
  });

  it('offers no fix for entries outside one list literal or statement', () => {
    // moved from a concatenation
    const concatenated =
      HEAD +
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]\nMIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"] + MIDDLEWARE\n';
    assert.deepEqual(only(analyze(project({ 'mysite/settings.py': concatenated })), 'DDH502').fixes, []);
    // the list is also passed to a function, which could do anything with its order
    const passed =
      HEAD +
      'MIDDLEWARE = ["django.middleware.locale.LocaleMiddleware", "django.middleware.security.SecurityMiddleware"]\nregister(MIDDLEWARE)\n';
    assert.deepEqual(only(analyze(project({ 'mysite/settings.py': passed })), 'DDH501').fixes, []);
    // SessionMiddleware missing: adding it is a decision about session storage, not a reordering
    const missing =
      HEAD + 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.auth.middleware.AuthenticationMiddleware"]\n';
    assert.deepEqual(only(analyze(project({ 'mysite/settings.py': missing })), 'DDH504').fixes, []);
  });

  it('never offers a move that trades one ordering finding for another', () => {
    // Moving SecurityMiddleware alone to the top would leave WhiteNoise away from it (DDH502): it takes WhiteNoise along.
    const settings =
      HEAD +
      'MIDDLEWARE = [\n    "django.middleware.locale.LocaleMiddleware",\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n]\n';
    const finding = only(analyze(project({ 'mysite/settings.py': settings })), 'DDH501');
    assert.deepEqual(
      finding.fixes.map((f) => f.title),
      ['Move SecurityMiddleware (with the WhiteNoiseMiddleware below it) to the top of MIDDLEWARE'],
    );
    // UpdateCacheMiddleware must stay above SessionMiddleware: moving SessionMiddleware above AuthenticationMiddleware would pass it
    const cached =
      HEAD +
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n    "django.middleware.cache.UpdateCacheMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.cache.FetchFromCacheMiddleware",\n]\n';
    assert.deepEqual(only(analyze(project({ 'mysite/settings.py': cached })), 'DDH504').fixes, []);
  });

  it('combines several safe moves of one list into one fix that fix-all applies alone', () => {
    const settings =
      HEAD +
      ORIGINS +
      'MIDDLEWARE = [\n' +
      '    "django.middleware.locale.LocaleMiddleware",\n' +
      '    "django.middleware.security.SecurityMiddleware",\n' +
      '    "django.middleware.common.CommonMiddleware",\n' +
      '    "whitenoise.middleware.WhiteNoiseMiddleware",\n' +
      '    "corsheaders.middleware.CorsMiddleware",\n' +
      ']\n';
    const findings = analyze(project({ 'mysite/settings.py': settings })).filter((f) => /^DDH50[123]$/.test(f.code));
    assert.deepEqual(findings.map((f) => f.code).sort(), ['DDH501', 'DDH502', 'DDH503']);
    const combined = findings.map((f) => f.fixes[0]!);
    assert.ok(combined.every((f) => f.title === combined[0]!.title && f.safety === 'safe' && f.preferred));
    assert.equal(
      combined[0]!.title,
      'Fix MIDDLEWARE: move SecurityMiddleware to the top of MIDDLEWARE; move WhiteNoiseMiddleware directly below SecurityMiddleware; move CorsMiddleware directly below SecurityMiddleware',
    );
    const after = apply(project({ 'mysite/settings.py': settings }), combined[0]!);
    assert.equal(
      after['mysite/settings.py'],
      HEAD +
        ORIGINS +
        'MIDDLEWARE = [\n' +
        '    "django.middleware.security.SecurityMiddleware",\n' +
        '    "corsheaders.middleware.CorsMiddleware",\n' +
        '    "whitenoise.middleware.WhiteNoiseMiddleware",\n' +
        '    "django.middleware.locale.LocaleMiddleware",\n' +
        '    "django.middleware.common.CommonMiddleware",\n' +
        ']\n',
    );
    assert.ok(!analyze(after).some((f) => /^DDH50[123]$/.test(f.code)));
    // each single move is still offered, inside the combined fix's edit (so fix-all never stacks them)
    const span = combined[0]!.edits[0]!;
    for (const f of findings) {
      const single = f.fixes[1]!;
      assert.match(single.title, /^Move /);
      assert.ok(single.edits.every((e) => e.start > span.start && e.end < span.end));
    }
  });

  it("judges a move unsafe, and says why, when it passes a middleware that is not Django's", () => {
    const settings =
      HEAD +
      'MIDDLEWARE = [\n    "health_check.middleware.HealthCheckMiddleware",\n    "django.middleware.security.SecurityMiddleware",\n]\n';
    const { fix } = fixed(
      project({ 'mysite/settings.py': settings }),
      'DDH501',
      'Move SecurityMiddleware to the top of MIDDLEWARE (changes behaviour: HealthCheckMiddleware then runs after its HTTPS redirect)',
    );
    assert.equal(fix.safety, 'unsafe');
  });

  it('removes the debug toolbar where only production reads it (unsafe), and only suggests it where development shares the line', () => {
    const base =
      HEAD +
      'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n';
    const production =
      'from .base import *  # noqa: F403\n\nif True:\n    MIDDLEWARE += ["debug_toolbar.middleware.DebugToolbarMiddleware"]  # noqa: F405\n';
    const files = project(
      {
        'mysite/settings/__init__.py': '',
        'mysite/settings/base.py': base,
        'mysite/settings/development.py': 'from .base import *  # noqa: F403\nDEBUG = True\n',
        'mysite/settings/production.py': production,
      },
      'mysite.settings.development',
    );
    const { files: after, fix } = fixed(
      files,
      'DDH509',
      'Remove DebugToolbarMiddleware from the production MIDDLEWARE (changes behaviour: the toolbar is no longer loaded)',
    );
    assert.equal(fix.safety, 'unsafe');
    assert.equal(after['mysite/settings/production.py'], 'from .base import *  # noqa: F403\n\nif True:\n    pass\n    # noqa: F405\n');
    const single =
      HEAD +
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "debug_toolbar.middleware.DebugToolbarMiddleware",\n]\n';
    const shared = only(analyze(project({ 'mysite/settings.py': single })), 'DDH509').fixes;
    assert.deepEqual(
      shared.map((f) => [f.title, f.safety]),
      [
        [
          'Remove DebugToolbarMiddleware from MIDDLEWARE (changes behaviour: development, which runs this line too, loses the toolbar)',
          'display-only',
        ],
      ],
    );
  });
  it('verifies the fixes of a long list a bounded number of times (linear in the list, not quadratic)', () => {
    // 200 repeated toolbar entries: each verified fix re-runs the middleware rules over the list, so
    // verifying every one of them took time quadratic in the list (3 s for 200 entries)
    const items = Array(200).fill('"debug_toolbar.middleware.DebugToolbarMiddleware"').join(', ');
    const files = project({ 'mysite/settings.py': `${HEAD}MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", ${items}]\n` });
    const original = RULES.find((r) => r.code === 'DDH507')!.check as (ctx: RuleContext) => void;
    let runs = 0;
    const findings = withCheck(
      'DDH507',
      (ctx) => {
        runs++;
        original(ctx);
      },
      () => analyze(files),
    );
    const repeats = findings.filter((f) => f.code === 'DDH507');
    assert.ok(repeats.length >= MAX_VERIFIED_PER_LIST, `${repeats.length} DDH507 findings`);
    assert.ok(runs <= 3 * MAX_VERIFIED_PER_LIST + 4, `the middleware rules ran ${runs} times`);
    const withFix = repeats.filter((f) => f.fixes.length > 0);
    assert.ok(withFix.length > 0 && withFix.length <= MAX_VERIFIED_PER_LIST, `${withFix.length} findings with a fix`);
    // the fixes offered still remove what they say
    const single = withFix[0]!.fixes.find((f) => /^Remove the repeated/.test(f.title))!;
    const after = apply(files, single)['mysite/settings.py']!;
    assert.equal(after.split('DebugToolbarMiddleware').length - 1, 199);
  });
});
