// Typing practice. V8 compiles the code an analysis after a keystroke runs (the patch of the edited
// statements, the rules on what changed) only when it first runs, and optimises it only after it ran
// for a while: the first hundred or so keystrokes in a large settings module were slower than the
// ones after (DefectDojo's settings.dist.py in process, over the first 200 keystrokes: median 4.9-6.0
// ms, p95 19-27 ms; after 100 keystrokes typed elsewhere in the same module, 3.5-4.7 and 14-23;
// BENCHMARKS.md). After a project's first analysis, while the developer is not typing yet, the
// language server types into a copy of the module the developer is likeliest to type into, in a
// workspace of its own: its own documents and kept evaluations, so that nothing of it reaches what
// the server shows. A character is put just inside a string literal and taken out again, one
// analysis per step: in the bodies of the module's first functions, then over string literals
// spread across the module.
import { analyzeProject, type AnalysisOptions } from './engine';
import { field, type PyNode } from '../parse/ast';
import { PythonDocument } from '../parse/pythonDocument';
import type { DjangoProject } from '../models/project/model';
import type { Workspace } from './workspace';

/** How many practice keystrokes (each a character put in or taken out, with its analysis). */
export const PRACTICE_KEYSTROKES = 100;
/** How long the practice may run in all (ms, the steps' own time): it stops there. */
export const PRACTICE_BUDGET_MS = 1500;

/** The offsets just after the opening quote of each string literal of a document, in text order. */
export function stringStarts(doc: PythonDocument): number[] {
  const out: number[] = [];
  const walk = (n: PyNode, base: number): void => {
    if (n.type === 'string_start') out.push(base + n.end);
    for (const c of n.children) walk(c, base);
  };
  for (const c of doc.chunks) walk(c.node, c.base);
  return out;
}

/** How many of the module's top-level functions practice types into first (see practiceTargets). */
export const PRACTICE_FUNCTIONS = 4;
/** How many pairs of keystrokes practice types into each of those bodies, in turn (see practiceTargets). */
export const PRACTICE_BODY_ROUNDS = 5;

/**
 * Where practice types, `pairs` string literals (a character put in, then taken out; a literal may
 * come back): first one inside the body of each of the module's first PRACTICE_FUNCTIONS top-level
 * functions that holds one past its docstring (env_flag(), env_list(), get_secret()…), those in
 * turn, PRACTICE_BODY_ROUNDS times each: a keystroke there gives every call of the function to its
 * new body again (reuse/probe.ts probeCalls), a path of its own that a keystroke elsewhere never runs,
 * and the slowest keystroke of a module when it first runs (the generated 5,000-line base's helper
 * called 625 times: 40-60 ms, 7-10 once warm); then literals spread across the module.
 */
export function practiceTargets(doc: PythonDocument, pairs: number): number[] {
  const starts = stringStarts(doc);
  const inBodies: number[] = [];
  for (const c of doc.chunks) {
    if (inBodies.length >= Math.min(PRACTICE_FUNCTIONS, pairs)) break;
    const def = c.node.type === 'decorated_definition' ? field(c.node, 'definition') : c.node;
    const body = def?.type === 'function_definition' ? field(def, 'body') : undefined;
    if (!body) continue;
    // (past a docstring: typing there changes what no call returns)
    const lead = body.children.find((x) => x.named && x.type !== 'comment');
    const docstring = lead?.type === 'expression_statement' && lead.children.length === 1 && lead.children[0]!.type === 'string';
    const from = c.base + (docstring ? lead.end : body.start);
    const to = c.base + body.end;
    const first = starts.find((at) => at > from && at <= to);
    if (first !== undefined) inBodies.push(first);
  }
  // each body in turn, PRACTICE_BODY_ROUNDS times: V8 optimises that path only after it ran a while
  const bodies = Array.from({ length: Math.min(pairs, inBodies.length * PRACTICE_BODY_ROUNDS) }, (_, i) => inBodies[i % inBodies.length]!);
  const rest = starts.filter((at) => !inBodies.includes(at));
  const spread = Math.max(0, pairs - bodies.length);
  const every = Math.max(1, Math.floor(rest.length / Math.max(1, spread)));
  return [...bodies, ...rest.filter((_, i) => i % every === 0).slice(0, spread)];
}

/**
 * The Python module of `files` (those a project's production evaluation read) a developer is
 * likeliest to type into: the largest of them, where a keystroke's analysis costs most.
 */
export function practiceModule(ws: Workspace, files: Iterable<string>): string | undefined {
  let best: string | undefined;
  let size = 0;
  for (const f of files) {
    if (!f.endsWith('.py')) continue;
    const n = ws.text(f)?.length ?? 0;
    if (n > size) {
      best = f;
      size = n;
    }
  }
  return best;
}

export class TypingPractice {
  private readonly ws: Workspace;
  private doc: PythonDocument | undefined;
  private targets: number[] = [];
  private typed = 0;
  private spentMs = 0;
  private finished = false;

  constructor(
    real: Workspace,
    private readonly project: DjangoProject,
    readonly file: string,
    private readonly options: AnalysisOptions,
    private readonly keystrokes = PRACTICE_KEYSTROKES,
    private readonly budgetMs = PRACTICE_BUDGET_MS,
  ) {
    this.ws = real.forPractice();
  }

  /** Keystrokes typed so far. */
  get count(): number {
    return this.typed;
  }

  /** Milliseconds its steps took so far. */
  get spent(): number {
    return this.spentMs;
  }

  /**
   * Runs the next step: the copy's first analysis, then one keystroke and its analysis. False when
   * the practice is over (every keystroke typed, its budget spent, or nothing to type into).
   */
  step(): boolean {
    if (this.finished) return false;
    const started = performance.now();
    try {
      if (!this.doc) {
        const text = this.ws.text(this.file);
        if (text === undefined) return this.finish();
        const doc = PythonDocument.parse(text, { incremental: true });
        if (doc.timedOut) return this.finish();
        // at most one literal per pair of keystrokes
        this.targets = practiceTargets(doc, Math.ceil(this.keystrokes / 2));
        if (this.targets.length === 0) return this.finish();
        this.doc = doc;
        this.ws.setOpenDocument(this.file, doc);
        analyzeProject(this.ws, this.project, this.options);
        return true;
      }
      if (this.typed >= this.keystrokes || this.typed >= this.targets.length * 2) return this.finish();
      const at = this.targets[Math.floor(this.typed / 2)]!;
      if (this.typed % 2 === 0) this.doc.applyEdit(at, at, 'x');
      else this.doc.applyEdit(at, at + 1, '');
      this.typed++;
      analyzeProject(this.ws, this.project, this.options);
      return true;
    } catch {
      // practice only: whatever went wrong shows in the developer's own analyses, not here
      return this.finish();
    } finally {
      this.spentMs += performance.now() - started;
      if (this.spentMs > this.budgetMs) this.finish();
    }
  }

  /** Ends the practice and lets its workspace go. */
  finish(): false {
    this.finished = true;
    this.doc?.dispose();
    this.doc = undefined;
    return false;
  }
}
