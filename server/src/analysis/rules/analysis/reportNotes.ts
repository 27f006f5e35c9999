// Shared by the analysis-note rules (DDH001–DDH004): reports the evaluator's notes of some kinds,
// each once, where it arises.
import type { NoteKind } from '../../eval/scope';
import type { RuleContext } from '../types';

export function reportNotes(ctx: RuleContext, kinds: readonly NoteKind[]): void {
  const seen = new Set<string>();
  for (const note of ctx.notes) {
    if (!kinds.includes(note.kind)) continue;
    const key = `${note.kind}:${note.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ctx.report({ loc: note.loc ?? ctx.anchor, message: note.message });
  }
}

export const ANALYSIS_REFS = [
  { title: 'Django: splitting settings', url: 'https://docs.djangoproject.com/en/stable/topics/settings/#designating-the-settings' },
];
