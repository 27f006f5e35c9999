// A monotonic clock in milliseconds for deadlines and elapsed times, as performance.now() measures
// them but from another origin (only differences mean anything). The global `performance` is not
// used: Node loads perf_hooks and nine modules behind it the first time it is touched (1–2.5 ms),
// which the CLI did on every run for these measurements and nothing else.
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A day the tests (or a user's configuration) fix, instead of the calendar's (see analysisDay). */
let fixedDay: string | undefined;

/**
 * The day of the analysis, `YYYY-MM-DD` in UTC: what "today" means to the rules that compare
 * release dates (the end-of-life catalogue). `fixAnalysisDay` pins it (tests); undefined unpins.
 */
export function analysisDay(): string {
  return fixedDay ?? new Date().toISOString().slice(0, 10);
}

export function fixAnalysisDay(day: string | undefined): void {
  fixedDay = day;
}
