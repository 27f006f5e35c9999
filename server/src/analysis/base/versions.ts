// Release numbers compared as numbers, part by part ("4.10" after "4.9"; a missing part is 0):
// the one comparison the catalogues, the models and the rules make of versions.

/** Versions read into numbers, kept (the rules compare the same few versions after every keystroke). */
const PARTS = new Map<string, readonly number[]>();

function versionParts(v: string): readonly number[] {
  let p = PARTS.get(v);
  if (p === undefined) {
    p = v.split('.').map((x) => Number.parseInt(x, 10) || 0);
    if (PARTS.size >= 1000) PARTS.clear();
    PARTS.set(v, p);
  }
  return p;
}

export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether a version (a string, or a version record such as the project's Django) is `min` or later. */
export function atLeast(v: { readonly version: string } | string, min: string): boolean {
  return compareVersions(typeof v === 'string' ? v : v.version, min) >= 0;
}
