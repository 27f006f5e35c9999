// DDG113: a gunicorn setting given twice on one production command line: the last one wins.
import { settingByName } from '../../catalogue/gunicornNames';
import type { ParsedOption } from '../../readers/process/commands';
import type { Fix, Rule, RuleContextBase } from '../types';
import { noGunicorn } from './shared';

/** `-w 2`, `--workers=2`: the option as written (the separator as the file has it). */
function written(ctx: RuleContextBase, o: ParsedOption): string {
  if (!o.value) return o.flag.text;
  const gap = o.value.loc.start - o.flag.loc.end;
  const sep = gap === 0 ? '' : gap === 1 && ctx.fileText(o.flag.loc.file)?.[o.flag.loc.end] === '=' ? '=' : ' ';
  return `${o.flag.text}${sep}${o.value.text}`;
}

export const optionTwice: Rule = {
  code: 'DDG113',
  name: 'gunicorn-option-twice',
  title: 'Gunicorn option given twice on one command line',
  severity: 'warning',
  group: 'app-server',
  checklist: 'gunicorn-settings',
  target: 'gunicorn',
  fixSafety: 'safe',
  docs: {
    what: 'Reports a gunicorn setting given more than once on one production command line (`-w 2 … --workers 4`, `--timeout 30 … -t 120`), under any of its flags, except the settings whose flag adds one entry each time (`--bind`, `-e`/`--env`, `--reload-extra-file`, `--paste-global`, `--dirty-app`) and switches (`--preload` twice changes nothing).',
    why: 'Gunicorn reads its command line with argparse: each later value replaces the earlier one, silently. The line says two things and only the last one is true; whoever edits the first (to give the service more workers, a longer timeout) changes nothing, and a reader trusting the first misjudges what runs.',
    example: 'gunicorn mysite.wsgi -w 4 --bind 0.0.0.0:8000 --workers 2',
    fix: 'Keep one: the last is what gunicorn uses, so removing the earlier ones changes nothing (the quick fix does that when the option is written as plain words); if the earlier value was the one meant, change the last.',
    good: 'gunicorn mysite.wsgi --bind 0.0.0.0:8000 --workers 2',
    references: [
      { title: 'Gunicorn: settings (command line)', url: 'https://docs.gunicorn.org/en/stable/settings.html' },
      { title: 'Python: argparse, the store action', url: 'https://docs.python.org/3/library/argparse.html#action' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    for (const inv of ctx.appServer.commands) {
      if (inv.server !== 'gunicorn' || !inv.source.production) continue;
      const byKey = new Map<string, ParsedOption[]>();
      for (const o of inv.options) {
        if (!o.key || o.unknown) continue;
        const def = settingByName(o.key);
        if (!def || def.repeatable || def.flagValue === 'none') continue;
        byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
      }
      for (const [key, opts] of byKey) {
        if (opts.length < 2) continue;
        const last = opts[opts.length - 1]!;
        for (const o of opts.slice(0, -1)) {
          const fix = removalFix(ctx, o);
          ctx.report({
            loc: o.flag.loc,
            fixes: fix ? [fix] : [],
            message: `${written(ctx, o)} is given again later on this command line (${inv.source.label}) as ${written(ctx, last)}: gunicorn keeps the last, so ${key} is ${last.value?.text ?? 'the last value'}; keep one of them.`,
          });
        }
      }
    }
  },
};

/**
 * Removes an option the command line overrides later, with the blanks after it: only when it is
 * written as plain words in the file (`-w 2 `, `--workers=2 `), not inside an exec-form array or quotes.
 */
function removalFix(ctx: RuleContextBase, o: ParsedOption): Fix | undefined {
  const start = o.flag.loc.start;
  const end = (o.value ?? o.flag).loc.end;
  if (o.flag.loc.file !== (o.value ?? o.flag).loc.file || end <= start) return undefined;
  const text = ctx.fileText(o.flag.loc.file);
  if (text === undefined) return undefined;
  const span = text.slice(start, end);
  // plain words: no quotes, variables, brackets or commas (an exec-form array), at most one blank
  if (!span.startsWith('-') || /["'`$\\[\],\r\n\t]/.test(span) || span.split(' ').length > 2) return undefined;
  let after = end;
  while (text[after] === ' ' || text[after] === '\t') after++;
  // the option ends the line (or the command): take the blanks before it instead
  let from = start;
  if (after === end || text[after] === '\n' || text[after] === '\r') {
    while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    after = end;
  }
  return {
    title: `Remove ${span} (the later value wins)`,
    safety: 'safe',
    edits: [{ file: o.flag.loc.file, start: from, end: after, newText: '' }],
  };
}
