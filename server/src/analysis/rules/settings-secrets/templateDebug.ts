// DDH105: the Django template engine's "debug" option turned on in the production TEMPLATES.
import { isLiteral, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { DictValue, Loc, Value } from '../../eval/values';
import { earlierDebugNote } from '../earlierDebug';
import { originNote } from '../helpers';
import type { Fix, Rule, RuleContext } from '../types';

/** `"debug": <value>`: the value after the last line break of the spaces (\s*[^,#\r\n]+ split them each way). */
export const DEBUG_PAIR = /^["']debug["']\s*:(?:\s*[\r\n])?[^,#\r\n]+$/;

const DJANGO_TEMPLATES = 'django.template.backends.django.DjangoTemplates';

/**
 * Removes the `"debug": value` pair (with its separating comma) from the dict literal it is
 * written in, when key and value are literals of that dict: the option then follows DEBUG.
 */
function removePairFix(ctx: RuleContext, options: DictValue, keyValue: Value, value: Value): Fix | undefined {
  const keyLoc = ctx.settings.locOf(keyValue);
  const valueLoc = ctx.settings.locOf(value);
  const dictLoc = ctx.settings.locOf(options);
  if (!keyLoc || !dictLoc || !isLiteral(options)) return undefined;
  if (keyLoc.file !== dictLoc.file || keyLoc.start < dictLoc.start) return undefined;
  const text = ctx.fileText(dictLoc.file);
  if (!text) return undefined;
  let valueEnd: number;
  if (valueLoc && isLiteral(value) && valueLoc.file === dictLoc.file && valueLoc.start >= keyLoc.end && valueLoc.end <= dictLoc.end)
    valueEnd = valueLoc.end;
  else {
    // `"debug": DEBUG` (or another name) copied from elsewhere: the pair ends with the name
    const named = /^\s*:\s*[A-Za-z_][\w.]*(?=\s*[,}\r\n#])/.exec(text.slice(keyLoc.end, dictLoc.end));
    if (!named) return undefined;
    valueEnd = keyLoc.end + named[0].length;
  }
  const pair = text.slice(keyLoc.start, valueEnd);
  if (!DEBUG_PAIR.test(pair)) return undefined;
  let start = keyLoc.start;
  let end = valueEnd;
  const after = /^[ \t]*,[ \t]*/.exec(text.slice(end));
  const before = /,\s*$/.exec(text.slice(dictLoc.start + 1, start));
  if (after) {
    end += after[0].length;
    // a pair on a line of its own goes with its line
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (text.slice(lineStart, start).trim() === '' && /^\r?\n/.test(text.slice(end))) {
      start = lineStart;
      end += /^\r?\n/.exec(text.slice(end))![0].length;
    }
  } else if (before) start -= before[0].length;
  if (text.slice(start, end).includes('#')) return undefined;
  return ctx.fixer.replace(
    { file: dictLoc.file, start, end },
    '',
    'Remove "debug" from the template OPTIONS (it then follows DEBUG)',
    'safe',
  );
}

export const templateDebug: Rule = {
  code: 'DDH105',
  name: 'template-debug-enabled',
  title: 'Template debug is on',
  severity: 'warning',
  group: 'settings-secrets',
  checklist: 'debug-off',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: 'Flags `"debug": True` (or any true value, also as an environment default) in the `OPTIONS` of a `DjangoTemplates` entry of the production `TEMPLATES`. Left out, the option follows `DEBUG`; a `"debug": DEBUG` that merely repeats DEBUG is left to DDH107/DDH108. A `"debug": DEBUG` in a base module whose DEBUG is True, inherited by a production module that sets DEBUG = False afterwards, is a stale copy: it is reported on that key, with a safe fix that removes the pair.',
    why: "With template debug on, every template error carries the template's source, the failing line and its context into the exception: error e-mails, error trackers and logs then hold template source, and with DEBUG also on the error page shows it to the visitor. It also makes the engine keep extra debugging information for every template it renders. It is a development setting that survived into production.",
    example: 'TEMPLATES = [{\n    "BACKEND": "django.template.backends.django.DjangoTemplates",\n    "OPTIONS": {"debug": True},\n}]',
    fix: 'Remove the option so that it follows DEBUG (or set it to False). The quick fix removes the `"debug"` entry; it is safe: development, where DEBUG is on, keeps template debugging.',
    good: 'TEMPLATES = [{\n    "BACKEND": "django.template.backends.django.DjangoTemplates",\n    "OPTIONS": {"context_processors": [...]},\n}]',
    references: [
      {
        title: 'Django: the DjangoTemplates "debug" option',
        url: 'https://docs.djangoproject.com/en/stable/topics/templates/#django.template.backends.django.DjangoTemplates',
      },
      { title: 'Django: TEMPLATES', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#templates' },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('TEMPLATES');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    const v = q.value;
    if (!V.isSeq(v)) return;
    const debugSetting = ctx.settings.get('DEBUG').value;
    let undecided: { reason: string; loc: Loc } | undefined;
    v.items.forEach((entry, index) => {
      if (entry.kind !== 'dict') return;
      const backend = V.dictGetStr(entry, 'BACKEND');
      if (backend === null || (backend && backend.kind === 'str' && backend.v !== DJANGO_TEMPLATES)) return;
      if (!backend || backend.kind !== 'str') {
        undecided ??= {
          reason: `the BACKEND of TEMPLATES[${index}] is not known statically`,
          loc: ctx.settings.locOf(backend ?? entry) ?? s.loc,
        };
        return;
      }
      const options = V.dictGetStr(entry, 'OPTIONS');
      if (options === null) return;
      if (!options || options.kind !== 'dict') {
        if (!options || options.kind === 'unknown')
          undecided ??= {
            reason: `the OPTIONS of TEMPLATES[${index}] are not known statically`,
            loc: ctx.settings.locOf(options ?? entry) ?? s.loc,
          };
        return;
      }
      const i = options.keys.findIndex((k) => k.kind === 'str' && k.v === 'debug');
      if (i < 0) {
        if (options.partial)
          undecided ??= { reason: `the OPTIONS of TEMPLATES[${index}] may set "debug"`, loc: ctx.settings.locOf(options) ?? s.loc };
        return;
      }
      const debug = options.values[i]!;
      // `"debug": DEBUG` is DEBUG itself: DDH107/DDH108 report it where DEBUG is written
      if (
        debug === debugSetting ||
        (debug.loc && debugSetting.loc && debug.loc.file === debugSetting.loc.file && debug.loc.start === debugSetting.loc.start)
      )
        return;
      if (debug.kind === 'unknown') {
        if (!isSupplied(debug))
          undecided ??= {
            reason: `TEMPLATES[${index}]["OPTIONS"]["debug"] is not known statically`,
            loc: ctx.settings.locOf(debug) ?? s.loc,
          };
        return;
      }
      if (V.truthy(debug) !== true) return;
      const fix = removePairFix(ctx, options, options.keys[i]!, debug);
      // A value written outside the OPTIONS dict (`"debug": DEBUG` in base.py, with base.py's
      // DEBUG = True) is reported on the key that copies it, saying where the copy was made.
      const valueLoc = ctx.settings.locOf(debug);
      const dictLoc = ctx.settings.locOf(options);
      const keyLoc = ctx.settings.locOf(options.keys[i]);
      const copied =
        valueLoc && dictLoc && keyLoc && (valueLoc.file !== dictLoc.file || valueLoc.start < dictLoc.start || valueLoc.end > dictLoc.end);
      const note = copied ? earlierDebugNote(ctx, keyLoc) : undefined;
      ctx.report({
        loc: (note && keyLoc) || valueLoc || s.loc,
        message: `TEMPLATES[${index}]["OPTIONS"]["debug"] is on${note ?? originNote(debug)}: template errors then carry template source into error reports; remove the option so that it follows DEBUG.`,
        fixes: fix ? [fix] : [],
      });
    });
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
  },
};
