// Branch forking and merging: alternatives whose condition the analysis cannot decide run on the
// same namespace with their writes journaled and undone, then merge — equal parts stay, differing
// parts become unknown, down to the dict key or list item that differs.
import type { PyNode } from '../parse/ast';
import type { Binding } from './scope';
import * as V from './values';
import type { Loc, Value } from './values';
import { EvaluatorCore, PyRaise, sameOverride } from './core';
import type { Frame, Signal } from './frame';

export abstract class BranchEvaluator extends EvaluatorCore {
  /**
   * The branch an environment default did not select (`if SENTRY_DSN:` when SENTRY_DSN is not set):
   * production runs it whenever the deployment sets those variables. It runs with the variables
   * narrowed to set (values supplied by the deployment; `narrowed`: the names the condition reads
   * that hold their defaults), its bindings and notes are discarded (the
   * defaults decide the settings), and the library calls it makes are kept, marked as conditional.
   */
  protected shadowRun(
    alt: () => Signal,
    env: readonly V.EnvRef[],
    f: Frame,
    narrowed: readonly string[],
    /** Receives what the branch bound, name by name, before it is discarded. */
    bound?: Map<string, Binding | undefined>,
  ): void {
    // not inside another shadow run: branches nested in branches the defaults skip are not read
    if (f.locals || env.length === 0 || this.shadowDepth > 0) return;
    const names = new Set(env.map((e) => e.name));
    const set = (e: V.EnvRef, loc: Loc | undefined): Value => V.required({ ...e, hasDefault: false }, 'str', loc);
    const scope = f.scope;
    const outer = scope.journal;
    const journal = new Map<string, Binding | undefined>();
    const savedEnv = [...names].map((n) => [n, this.envValues.get(n)] as const);
    const savedRequired = [...this.requiredEnv];
    const notes = f.mod.notes.length;
    const open = scope.open;
    const savedCow = f.cow;
    const depth = this.exprDepth;
    scope.journal = journal;
    f.uncertain++;
    f.cow = new Set();
    this.shadowDepth++;
    try {
      for (const e of env) this.envValues.set(e.name, set(e, e.loc));
      for (const name of narrowed) {
        const b = scope.vars.get(name);
        const ref = b?.value.origin === 'env-default' ? b.value.env?.find((e) => names.has(e.name)) : undefined;
        if (b && ref) scope.set(name, { ...b, value: set(ref, b.value.loc) });
      }
      alt();
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      this.exprDepth = depth;
    } finally {
      this.shadowDepth--;
      f.uncertain--;
      f.cow = savedCow;
      scope.journal = outer;
      for (const [name, prev] of journal) {
        bound?.set(name, scope.vars.get(name));
        if (prev) scope.vars.set(name, prev);
        else scope.vars.delete(name);
      }
      for (const [n, v] of savedEnv) {
        if (v) this.envValues.set(n, v);
        else this.envValues.delete(n);
      }
      this.requiredEnv.clear();
      for (const n of savedRequired) this.requiredEnv.add(n);
      f.mod.notes.length = notes;
      scope.open = open;
    }
  }

  /**
   * Runs each alternative on its own copy of the namespace and merges the results. An alternative
   * that raises is dropped (a running system did not take it); if all raise, the raise propagates.
   */
  protected branch(alternatives: Array<() => Signal>, f: Frame, reason: string, node: PyNode, optionalItems: OptionalItems = true): Signal {
    if (f.locals) return this.branchLocals(alternatives, f, reason, node);
    // Each alternative runs on the namespace as it is, with its writes journaled and then undone;
    // only the names some alternative wrote are merged (no copy of the whole namespace).
    const scope = f.scope;
    const outcomes: Map<string, Binding | undefined>[] = [];
    const signals: Signal[] = [];
    let lastRaise: PyRaise | undefined;
    const savedCow = f.cow;
    const outer = scope.journal;
    for (const alt of alternatives) {
      const journal = new Map<string, Binding | undefined>();
      scope.journal = journal;
      f.uncertain++;
      f.cow = new Set();
      const depth = this.exprDepth;
      try {
        signals.push(alt());
        const after = new Map<string, Binding | undefined>();
        for (const name of journal.keys()) after.set(name, scope.vars.get(name));
        outcomes.push(after);
      } catch (e) {
        this.exprDepth = depth;
        if (!(e instanceof PyRaise)) throw e;
        lastRaise = e;
      } finally {
        f.uncertain--;
        f.cow = savedCow;
        scope.journal = outer;
        for (const [name, prev] of journal) {
          if (prev) scope.vars.set(name, prev);
          else scope.vars.delete(name);
        }
      }
    }
    if (outcomes.length === 0) throw lastRaise ?? new PyRaise('Exception', this.loc(node, f));
    const names = new Set<string>();
    for (const o of outcomes) for (const k of o.keys()) names.add(k);
    for (const name of names) {
      const current = scope.vars.get(name);
      const bs = outcomes.map((o) => (o.has(name) ? o.get(name) : current));
      const merged = mergeBindings(bs, reason, this.loc(node, f), optionalItems);
      if (merged) {
        if (merged !== current) scope.set(name, merged);
      } else if (current) scope.delete(name);
    }
    return combineSignals(signals);
  }

  /**
   * Undecidable branches inside an inlined function: each alternative runs on its own copy of the
   * locals; locals that differ become unknown. Paths that return early add their value to the
   * function's possible results (merged when the function ends).
   */
  protected branchLocals(alternatives: Array<() => Signal>, f: Frame, reason: string, node: PyNode): Signal {
    const before = f.locals!;
    const outs: { locals: Map<string, Value>; sig: Signal }[] = [];
    let lastRaise: PyRaise | undefined;
    for (const alt of alternatives) {
      f.locals = new Map(before);
      const depth = this.exprDepth;
      try {
        outs.push({ sig: alt(), locals: f.locals });
      } catch (e) {
        this.exprDepth = depth;
        if (!(e instanceof PyRaise)) throw e;
        lastRaise = e;
      }
    }
    f.locals = before;
    if (outs.length === 0) throw lastRaise ?? new PyRaise('Exception', this.loc(node, f));
    const returns = outs.filter((o) => o.sig?.kind === 'return').map((o) => (o.sig as { value: Value }).value);
    const going = outs.filter((o) => !o.sig);
    if (returns.length === outs.length) return { kind: 'return', value: mergeValues(returns, reason, this.loc(node, f)) };
    f.pendingReturns?.push(...returns);
    // the locals of every path that does not return: those that go on, and those that leave the
    // block by `break` or `continue` (what they bound is what the code after the loop, or the next
    // iteration, sees: `url = s["uri"]; break` in a loop over unknown items leaves url unknown, not None)
    const kept = outs.filter((o) => o.sig?.kind !== 'return');
    const names = new Set<string>();
    for (const o of kept) for (const k of o.locals.keys()) names.add(k);
    before.clear();
    for (const name of names) {
      const vs = kept.map((o) => o.locals.get(name));
      if (vs.every((v) => v !== undefined && V.sameValue(v, vs[0]!))) before.set(name, vs[0]!);
      else
        before.set(name, V.unknown(vs.some((v) => v === undefined) ? `only set when it ${meets(reason)}` : reason, vs.find((v) => v)?.loc));
    }
    const exits = outs.filter((o) => o.sig && o.sig.kind !== 'return').map((o) => o.sig);
    if (exits.length === 0) return undefined;
    return combineSignals([...exits, ...(going.length > 0 ? [undefined] : [])]);
  }
}

function mergeBindings(bs: (Binding | undefined)[], reason: string, loc: Loc, optionalItems: OptionalItems): Binding | undefined {
  const defined = bs.filter((b): b is Binding => b !== undefined);
  if (defined.length === 0) return undefined;
  const first = defined[0]!;
  if (defined.length === bs.length && defined.every((b) => b === first || b.value === first.value)) {
    // the same value on every path: what may override it on any path may override it
    const overrides = unionOverrides(defined);
    return overrides === first.overriddenBy ? first : { ...first, overriddenBy: overrides };
  }
  if (defined.length < bs.length) {
    // bound in some alternatives only
    const assigned = defined.find((b) => b.target) ?? first;
    return { ...assigned, value: V.unknown(`only set when it ${meets(reason)}`, assigned.value.loc) };
  }
  const changed = defined.find((b) => b.value !== bs[0]?.value) ?? first;
  const overrides = unionOverrides(defined);
  return {
    ...changed,
    ...(overrides ? { overriddenBy: overrides } : {}),
    value: mergeValues(
      defined.map((b) => b.value),
      reason,
      changed.value.loc ?? loc,
      optionalItems,
    ),
  };
}

/** Every override of some binding (the first binding's own list when no other adds one). */
function unionOverrides(bs: readonly Binding[]): readonly V.Override[] | undefined {
  let out = bs[0]!.overriddenBy;
  for (const b of bs) for (const o of b.overriddenBy ?? []) if (!out?.some((x) => sameOverride(x, o))) out = [...(out ?? []), o];
  return out;
}

/**
 * How lists that differ by added items merge: `true`, into a list with those items optional (each
 * known for what it is when present); `'repeated'`, the same but each addition unreadable, for a
 * body that may run any number of times (what it adds on a later run may differ from the first);
 * `false`, into an unknown value.
 */
export type OptionalItems = boolean | 'repeated';

/** Merges the values a name has in alternative branches: equal parts stay, differing parts are unknown. */
export function mergeValues(vs: Value[], reason: string, loc: Loc | undefined, optionalItems: OptionalItems = true): Value {
  const merged = mergeValuesOnce(vs, reason, loc, optionalItems);
  // a container some path kept as it was (an alias of it may be changed through the merged name)
  const kept = vs.filter((v) => v !== merged && (v.kind === 'list' || v.kind === 'dict' || v.kind === 'set'));
  return kept.length > 0 && !vs.includes(merged) ? { ...merged, aliasOf: [...(merged.aliasOf ?? []), ...kept] } : merged;
}

function mergeValuesOnce(vs: Value[], reason: string, loc: Loc | undefined, optionalItems: OptionalItems): Value {
  const first = vs[0]!;
  if (vs.every((v) => V.sameValue(first, v))) return first;
  // the same name outside the workspace in every branch (`import logging` above, `import logging.config`
  // in an `if`): one module or attribute of it, whatever branch bound it (not a call's result)
  if (first.kind === 'unknown' && first.ext !== undefined && !first.ext.includes('(') && !first.producedBy)
    if (vs.every((v) => v.kind === 'unknown' && v.ext === first.ext && !v.producedBy)) return first;
  // a module the analysis knows (os, sys, pathlib…) imported on every path, by this module or by
  // one it star-imports in a branch (`import os` in a component `from .oidc import *` brings in):
  // the one object sys.modules holds, whichever path bound it
  if (first.kind === 'object' && first.tag.startsWith('module:') && vs.every((v) => v.kind === 'object' && v.tag === first.tag))
    return first;
  if (vs.every((v) => v.kind === 'dict' && !v.partial)) {
    const ds = vs as V.DictValue[];
    const keys: Value[] = [];
    const seen = new Set<string>();
    for (const d of ds)
      for (const k of d.keys) {
        const kk = V.keyOf(k);
        if (kk !== undefined && !seen.has(kk)) {
          seen.add(kk);
          keys.push(k);
        }
      }
    const values = keys.map((k) => {
      const each = ds.map((d) => V.dictGet(d, k));
      if (each.some((x) => x === null || x === undefined)) {
        const present = each.find((x): x is Value => !!x);
        // the key itself may be absent: iterating the dict, len() and `in` cannot be known
        return { ...V.unknown(`only set when it ${meets(reason)}`, present?.loc), maybeAbsent: true };
      }
      return mergeValues(each as Value[], reason, (each[0] as Value).loc, optionalItems);
    });
    return { ...V.dict(keys, values, V.combineOrigins(...vs), loc), env: V.combineEnv(...vs) };
  }
  const seq = optionalItems ? mergeSequences(vs, reason, loc, optionalItems === 'repeated') : undefined;
  if (seq) return seq;
  const changed = vs.find((v) => !V.sameValue(first, v)) ?? first;
  return { ...V.unknown(reason, changed.loc ?? loc), env: V.combineEnv(...vs) };
}

/**
 * Lists (or tuples) that differ only by items some branches add — `if DEBUG:
 * MIDDLEWARE.insert(0, toolbar)` on an undecidable DEBUG, or `if SSO: MIDDLEWARE.insert(i, sso)
 * else: MIDDLEWARE.append(axes)` — merge into one list holding every branch's items, with each item
 * not every branch has unknown ("only present when …"): the order of the items every branch has
 * stays known. Undefined when the branches reorder items, share none, or the lists are too long to
 * align (see aligned).
 */
function mergeSequences(vs: Value[], reason: string, loc: Loc | undefined, repeated: boolean): Value | undefined {
  const kind = vs[0]!.kind;
  if ((kind !== 'list' && kind !== 'tuple') || !vs.every((v) => v.kind === kind && v.origin !== 'unknown')) return undefined;
  const seqs = vs as V.SeqValue[];
  const longest = seqs.reduce((a, b) => (b.items.length > a.items.length ? b : a));
  const merged = containing(longest, seqs) ?? aligned(seqs);
  if (!merged) return undefined;
  const { all, everywhere } = merged;
  const when = meets(reason);
  const items = all.map((item, j) =>
    everywhere[j]
      ? item
      : {
          ...V.unknown(`only present when it ${when}`, item.loc, item.kind === 'str' ? 'str' : undefined),
          env: item.env,
          maybeAbsent: true,
          // what it is when present: the item itself, or (already optional) what it stood for;
          // an item that stands for unreadable items stays so
          possible: repeated ? undefined : item.kind === 'unknown' ? item.possible : item,
          ...(item.kind === 'unknown' && item.maybeAbsent && !item.possible ? { reason: item.reason, origin: item.origin } : {}),
        },
  );
  const optional = items.some((i) => i.kind === 'unknown' && i.maybeAbsent);
  return { ...V.seq(kind, items, V.combineOrigins(...vs), longest.loc ?? loc), env: V.combineEnv(...vs), optional: optional || undefined };
}

/** The items of a merge, and whether each is in every branch. */
interface MergedItems {
  readonly all: readonly Value[];
  readonly everywhere: readonly boolean[];
}

/** The longest list, when every other is a subsequence of it (greedy matching decides that). */
function containing(longest: V.SeqValue, seqs: readonly V.SeqValue[]): MergedItems | undefined {
  const everywhere = new Array<boolean>(longest.items.length).fill(true);
  for (const s of seqs) {
    let i = 0;
    const matched = new Array<boolean>(longest.items.length).fill(false);
    for (let j = 0; j < longest.items.length && i < s.items.length; j++) {
      if (V.sameValue(s.items[i]!, longest.items[j]!)) {
        matched[j] = true;
        i++;
      }
    }
    if (i < s.items.length) return undefined;
    matched.forEach((m, j) => {
      if (!m) everywhere[j] = false;
    });
  }
  return { all: longest.items, everywhere };
}

/** Cells of the alignment table above which lists are not aligned (the merge is then unknown). */
const MAX_ALIGN_CELLS = 250_000;

/**
 * Lists none of which holds all the others' items: folded one branch at a time into a common
 * supersequence along a longest common subsequence (each item of the fold so far, with the number
 * of branches it is in). The items every branch has keep their order in every branch; an item of
 * some branches stands where those branches have it, between the same shared items. Undefined when
 * the branches share no item (each sets a list of its own), when an item every branch has could not
 * be aligned (the branches order it differently: a reordered list is not one with optional items),
 * or when the lists are too long to align.
 */
function aligned(seqs: readonly V.SeqValue[]): MergedItems | undefined {
  let cur: { item: Value; count: number }[] = seqs[0]!.items.map((item) => ({ item, count: 1 }));
  for (const s of seqs.slice(1)) {
    const a = cur;
    const b = s.items;
    if ((a.length + 1) * (b.length + 1) > MAX_ALIGN_CELLS) return undefined;
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..]
    const w = b.length + 1;
    const lcs = new Uint32Array((a.length + 1) * w);
    for (let i = a.length - 1; i >= 0; i--)
      for (let j = b.length - 1; j >= 0; j--)
        lcs[i * w + j] = V.sameValue(a[i]!.item, b[j]!)
          ? lcs[(i + 1) * w + j + 1]! + 1
          : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    const next: { item: Value; count: number }[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && V.sameValue(a[i]!.item, b[j]!)) {
        next.push({ item: a[i]!.item, count: a[i]!.count + 1 });
        i++;
        j++;
      } else if (j >= b.length || (i < a.length && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) next.push(a[i++]!);
      else next.push({ item: b[j++]!, count: 1 });
    }
    cur = next;
  }
  const n = seqs.length;
  const everywhere = cur.map((c) => c.count === n);
  // no item every branch has: each branch sets a list of its own, not items added to a shared one
  if (!everywhere.includes(true)) return undefined;
  // an item left to some branches that every branch has (elsewhere): the branches reorder it
  for (let k = 0; k < cur.length; k++)
    if (!everywhere[k] && seqs.every((s) => s.items.some((x) => V.sameValue(x, cur[k]!.item)))) return undefined;
  return { all: cur.map((c) => c.item), everywhere };
}

/** A branch reason as a condition: "depends on `DEBUG`" → "meets `DEBUG`" (for "only set when it …"). */
export function meets(reason: string): string {
  return reason.replace(/^depends on /, 'meets ');
}

/** How a set of alternative paths ended, together (see Signal). */
export function combineSignals(signals: readonly Signal[]): Signal {
  if (signals.every((s) => s === undefined)) return undefined;
  const first = signals[0];
  if (first && first.kind !== 'return' && first.kind !== 'uncertain' && signals.every((s) => s?.kind === first.kind)) return first;
  return { kind: 'uncertain', mayReturn: signals.some((s) => s?.kind === 'return' || (s?.kind === 'uncertain' && s.mayReturn)) };
}
