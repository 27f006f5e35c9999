// Whether a process file, stage, service or process type is meant for development or tests, by its
// name or the folders it is in (docker/dev/…, Procfile.dev, a `local` service).

const DEV_WORDS = new Set([
  'dev',
  'devel',
  'develop',
  'development',
  'local',
  'test',
  'tests',
  'testing',
  'ci',
  'debug',
  'sandbox',
  // VS Code's dev container (.devcontainer/Dockerfile, devcontainer.json)
  'devcontainer',
]);

/** Why a path (relative to the project) looks like development or test material, if it does. */
export function devReasonOfPath(rel: string, extraWords: readonly string[] = []): string | undefined {
  const parts = rel.split(/[\\/]/).filter((p) => p && p !== '.' && p !== '..');
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    const last = k === parts.length - 1;
    const stem = last ? p.replace(/\.(ya?ml|sh|service|py|txt|env)$/i, '') : p;
    const words = stem
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    if (words.some((w) => /^(prod|production|live|staging|release|deploy)$/.test(w))) continue;
    const hit = words.find((w) => DEV_WORDS.has(w) || extraWords.includes(w));
    if (hit) return last ? `its name says "${hit}"` : `it is in a "${p}" folder`;
  }
  return undefined;
}
