// An edit of a tracked module's file (a keystroke), located against the records of its statements:
// which statement it changed (or that it fell between two), found by comparing the new parse with
// the records from both ends (locateEdit); what a patch decided to run again (Plan); and, once a
// patch goes ahead, the records, locations and functions after the edit moved by its length
// (followEdit). patch.ts decides and runs the patch.
import type { PyNode } from '../parse/ast';
import type { PythonDocument } from '../parse/pythonDocument';
import { withoutTemplateLines } from '../eval/templates';
import type { ModuleResult } from '../eval/scope';
import type * as V from '../eval/values';
import type { Value } from '../eval/values';
import { shiftLocs, type StatementRecord } from './records';
import type { ModuleTracker } from './tracker';
import type { Walk } from './walk';

/** A statement of the new text: its tree, and the offset its tree's offsets are from. */
export interface Chunk {
  readonly node: PyNode;
  readonly base: number;
}

/** The edit of one file of a tracked module, located against the records of its statements (locateEdit). */
export interface Edit {
  readonly file: string;
  /** The file is the module's own (not one it ran with include()). */
  readonly own: boolean;
  readonly chunks: readonly Chunk[];
  readonly oldText: string;
  readonly newText: string;
  /** The indexes of the records of the file's statements, in order, and how many. */
  readonly at: readonly number[];
  readonly n: number;
  /** The change of the text's length. */
  readonly delta: number;
  /** i === j: the file's statement i changed; j < i: the edit is between statements. */
  readonly i: number;
  readonly j: number;
  /** The record of the edited statement (-1: the edit is between statements), the record, and the new statement. */
  readonly k: number;
  readonly rk: StatementRecord | undefined;
  readonly ck: Chunk | undefined;
  /** The file's first statement after the edit. */
  readonly first: number;
}

/** What a patch runs again, decided before the kept state changes (patch.ts, planPatch). */
export interface Plan {
  /** Where the locations after the edit start moving. */
  editEnd: number;
  /** The edited statement runs again. */
  patchK: boolean;
  /** An edit inside a function's body that no call of it ran nor read: its range in the old text (functionEdit.ts). */
  unreached: { readonly start: number; readonly end: number } | undefined;
  /** The statements calling an edited function that run again, with those depending on them. */
  callers: number[] | undefined;
  /** The statements calling an edited function whose calls are given to its new body first (probe.ts). */
  probe: readonly number[] | undefined;
  /** Why the callers cannot run again, when they cannot (and are probed). */
  rerunWhy: string | undefined;
  /** A statement after the edited one is a barrier: the new statement must bind the names the old one bound. */
  barrierAfter: boolean;
  /** The statements after the edited one that run again after it (walk.ts). */
  walk: Walk | undefined;
  /** A django-environ Env the edited statement binds, whose schema the edit changed. */
  envEdit: { readonly name: string; readonly old: V.ObjectValue } | undefined;
}

/** Nothing was changed (why: ModuleTracker.why): the module is evaluated in full. */
export function declined(tracker: ModuleTracker, why: string): 'declined' {
  tracker.why = why;
  return 'declined';
}

/**
 * Where the new text of `file` (`original`) differs from the text the records were made from: the
 * one statement it changed, or the place between two statements; else why it cannot be patched.
 * Statements parsed again with the same text take on their new trees (compared by identity from
 * then on).
 */
export function locateEdit(mod: ModuleResult, tracker: ModuleTracker, original: PythonDocument, file: string): Edit | string {
  // the module's own file (template lines blanked, as runModule reads it), or a file it included (as runIncluded reads it)
  const own = file === mod.ref.file;
  const { doc, templated } = own ? withoutTemplateLines(original) : { doc: original, templated: [] };
  if (templated.length > 0) return 'it holds template text';
  const oldText = own ? tracker.text : tracker.texts.get(file);
  if (oldText === undefined) return 'the file was not included with records of its own';
  const chunks = doc.chunks;
  const recs = tracker.records;
  const at = tracker.recordsOf(file);
  const n = at.length;
  if (chunks.length !== n) return 'a statement was added or removed';
  const newText = doc.text;
  const delta = newText.length - oldText.length;
  const same = (i: number, shift: number): boolean => {
    const c = chunks[i]!;
    const r = recs[at[i]!]!;
    const s = c.base + c.node.start;
    const len = r.end - r.start;
    if (s !== r.start + shift || c.base + c.node.end !== r.end + shift) return false;
    if (c.node === r.node) return true;
    for (let x = 0; x < len; x++) if (oldText.charCodeAt(r.start + x) !== newText.charCodeAt(s + x)) return false;
    // the same text parsed again (a neighbour of an edit): its new tree is compared by identity from now on
    r.node = c.node;
    return true;
  };
  let i = 0;
  while (i < n && same(i, 0)) i++;
  let j = n - 1;
  while (j >= i && same(j, delta)) j--;
  if (j > i) return 'the edit spans statements';
  // i === j: statement i (of the file) changed; j < i: the edit is between statements
  const k = i === j ? at[i]! : -1;
  return {
    file,
    own,
    chunks,
    oldText,
    newText,
    at,
    n,
    delta,
    i,
    j,
    k,
    rk: k >= 0 ? recs[k]! : undefined,
    ck: k >= 0 ? chunks[i]! : undefined,
    first: i === j ? i + 1 : i,
  };
}

/**
 * The kept state follows the edit: the locations and records after it move by its length (and the
 * functions defined after it), an edited statement that does not run again takes its new tree, and
 * the tracker holds the new text.
 */
export function followEdit(tracker: ModuleTracker, e: Edit, plan: Plan): void {
  const recs = tracker.records;
  const { file, delta, newText, rk, ck } = e;
  if (delta !== 0) {
    tracker.edit = { file, end: plan.editEnd, delta };
    shiftLocs(tracker.locs, plan.editEnd, delta, tracker.texts.size > 0 ? file : undefined);
    for (let x = e.first; x < e.n; x++) {
      const r = recs[e.at[x]!]!;
      r.start += delta;
      r.end += delta;
      for (const fn of r.fns) retext(fn, delta, newText, file, plan.editEnd);
    }
  }
  if (rk && ck && !plan.patchK) recs[e.k] = { ...rk, node: ck.node, start: ck.base + ck.node.start, end: ck.base + ck.node.end };
  if (e.own) tracker.text = newText;
  else tracker.texts.set(file, newText);
}

/** A function or class defined after an edit: its offsets follow the edit (its nodes are unchanged). */
function retext(v: Value, delta: number, text: string, file: string, editEnd: number): void {
  if (v.kind !== 'object' || v.tag !== 'user-fn') return;
  const d = v.data as {
    base: number;
    text: string;
    readonly file: string;
    readonly body: readonly PyNode[];
    readonly expr: PyNode | undefined;
  };
  // a function a statement after the edit defined by calling one defined before it (`H = make()`,
  // make's nested `def inner`), or one of another file: its text did not move
  if (d.file !== file) return;
  const node = d.body[0] ?? d.expr;
  if (node === undefined || d.base + node.start >= editEnd) d.base += delta;
  d.text = text;
}
