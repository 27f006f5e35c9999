// An analysis as plain data, for comparing two analyses of the same workspace (the typing
// differential test, test/unit/module-cache.test.ts, and scripts/corpus-typing.mjs on real projects).
import type { WorkspaceAnalysis } from '../../server/src/analysis/engine/engine';
import type { Value } from '../../server/src/analysis/eval/values';

/** Everything an analysis says, as plain data (values walked deeply, shared values once per path). */
export function view(a: WorkspaceAnalysis): unknown {
  const value = (v: Value, seen: Set<Value>): unknown => {
    const base = { kind: v.kind, origin: v.origin, loc: v.loc, env: v.env };
    if (seen.has(v)) return { ...base, cycle: true };
    seen.add(v);
    try {
      switch (v.kind) {
        case 'list':
        case 'tuple':
        case 'set':
          return { ...base, optional: v.optional, items: v.items.map((x) => value(x, seen)) };
        case 'dict':
          return {
            ...base,
            partial: v.partial,
            keyPrefix: v.keyPrefix,
            keys: v.keys.map((x) => value(x, seen)),
            values: v.values.map((x) => value(x, seen)),
          };
        case 'object':
          return { ...base, tag: v.tag };
        case 'unknown':
          return { ...v, env: v.env };
        default:
          return { ...base, v: (v as { v?: unknown }).v };
      }
    } finally {
      seen.delete(v);
    }
  };
  return {
    messages: a.messages,
    failed: a.failed?.map((p) => p.root),
    projects: a.projects.map((p) => ({
      root: p.project.root,
      findings: p.findings,
      suppressed: p.suppressed,
      outcomes: [...p.outcomes],
      notes: p.notes,
      files: [...p.files].sort(),
      secrets: p.secrets,
      status: p.evaluation?.status,
      open: p.evaluation?.scope.open?.reason,
      vars: [...(p.evaluation?.scope.vars ?? [])].map(([name, b]) => [name, value(b.value, new Set()), b.target, b.stmt]),
      // (keyword arguments as positional ones: values, not the objects behind them, whose
      // internals, such as a function's module namespace while lent to an evaluation, are not what
      // the analysis says)
      calls: p.evaluation?.calls.map((c) => ({
        ...c,
        args: c.args.map((x) => value(x, new Set())),
        kwargs: [...c.kwargs].map(([k, x]) => [k, value(x, new Set())]),
      })),
    })),
  };
}
