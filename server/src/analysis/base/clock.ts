// A monotonic clock in milliseconds for deadlines and elapsed times, as performance.now() measures
// them but from another origin (only differences mean anything). The global `performance` is not
// used: Node loads perf_hooks and nine modules behind it the first time it is touched (1–2.5 ms),
// which the CLI did on every run for these measurements and nothing else.
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
