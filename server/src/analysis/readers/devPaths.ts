// Whether a process file, stage, service or process type is meant for development or tests, by its
// name or the folders it is in (docker/dev/…, Procfile.dev, a `local` service).

/** Words that say tests or CI. */
const TEST_WORDS = new Set(['test', 'tests', 'testing', 'ci']);
/** A word that says production (or the way to it): a name or folder with one is never development's. */
const PRODUCTION_WORD = /^(prod|production|live|staging|release|deploy)$/;

const DEV_WORDS = new Set([
  'dev',
  'devel',
  'develop',
  'development',
  'local',
  ...TEST_WORDS,
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
    if (words.some((w) => PRODUCTION_WORD.test(w))) continue;
    const hit = words.find((w) => DEV_WORDS.has(w) || extraWords.includes(w));
    if (hit) return last ? `its name says "${hit}"` : `it is in a "${p}" folder`;
  }
  return undefined;
}

/**
 * Why a file's opening comment says it is for tests or CI ("# Docker-compose file for testing via
 * Github Actions"), if it does: the comment lines before its first other line, read word by word.
 * A header that names production too ("production, tested in CI") says nothing.
 */
export function devReasonOfHeader(text: string): string | undefined {
  const header: string[] = [];
  for (const line of text.split('\n', 40)) {
    const t = line.trim();
    if (t === '' || t === '---') continue;
    if (!t.startsWith('#')) break;
    header.push(t.slice(1).toLowerCase());
  }
  if (header.length === 0) return undefined;
  const words = header
    .join(' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => PRODUCTION_WORD.test(w) || w === 'deployment')) return undefined;
  const hit = words.find((w) => TEST_WORDS.has(w));
  const actions = words.includes('github') && words.includes('actions');
  if (!hit && !actions) return undefined;
  return `its opening comment says it is for ${actions ? 'GitHub Actions' : hit === 'ci' ? 'CI' : 'tests'}`;
}
