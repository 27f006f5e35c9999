// The handshake between the launcher (launch.ts) and the bundle it starts: the bundle says when the
// run has used what later runs need (an analysis of a project), and the launcher then keeps a V8
// code cache of it. A cache written by `--version` or `rules` would hold little and, being accepted,
// would never be replaced.

/** The global function the launcher installs (when it keeps no cache yet). */
export const CODE_CACHE_HOOK = '__djangoDeployHygieneWriteCodeCache';

/** Tells the launcher that this run analysed a project; nothing when started without the launcher. */
export function analysedProject(): void {
  const hook = (globalThis as Record<string, unknown>)[CODE_CACHE_HOOK];
  if (typeof hook === 'function') (hook as () => void)();
}
