// How the checklist view names a list of files at the default side-bar width: by the file's name,
// with as many of its folders in front as it takes to tell it from the others (a Helm chart's
// `celery-beat/deployment.yaml` and `django/deployment.yaml`), the rest of the path after it as the
// row's description. Five rows "deployment.yaml" with their folders cut to "kubernetes/ka…" alike
// were seen on a real repository (issue 58). No vscode import: unit-tested.

/** For each path (`/`-separated): the shortest ending that no other path shares, and the folder before it. */
export function distinctNames(paths: readonly string[]): { name: string; folder: string | undefined }[] {
  const parts = paths.map((p) => p.split('/'));
  return parts.map((segs, i) => {
    let n = 1;
    const ending = (s: string[], k: number) => s.slice(-k).join('/');
    while (n < segs.length && parts.some((o, j) => j !== i && o.length >= n && ending(o, n) === ending(segs, n))) n++;
    const folder = segs.slice(0, segs.length - n).join('/');
    return { name: ending(segs, n), folder: folder === '' ? undefined : folder };
  });
}
