// Which Django version a project runs: from lock files first (exact), then requirement files,
// pyproject.toml (PEP 621 and Poetry), Pipfile, setup.cfg and setup.py (constraints, read as the
// newest release they allow). A user setting overrides; when nothing says, the newest Django.
import * as path from 'node:path';
import { DJANGO_NEWEST_VERSION } from '../django/defaults';
import type { FileSystem } from './fs';
import type { ScannedFile } from './scan';

export interface DjangoVersion {
  /** "major.minor", e.g. "4.2". */
  readonly version: string;
  /** Where it was read, for the checklist ("requirements.txt: Django==4.2.7"). */
  readonly source: string;
  /** True when nothing in the project says which version: the newest is assumed. */
  readonly assumed: boolean;
  readonly file?: string;
}

/** Known release lines, oldest first (used to read constraints such as `<5.0`). */
const RELEASE_LINES = ['1.8', '1.9', '1.10', '1.11', '2.0', '2.1', '2.2', '3.0', '3.1', '3.2', '4.0', '4.1', '4.2', '5.0', '5.1', '5.2', '6.0', '6.1'];

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function atLeast(v: DjangoVersion | string, min: string): boolean {
  return compareVersions(typeof v === 'string' ? v : v.version, min) >= 0;
}

function line(version: string): string {
  const [maj, min] = version.split('.');
  return `${maj}.${min ?? '0'}`;
}

/**
 * The newest release line a PEP 440 / Poetry constraint allows, e.g. `>=4.2,<5.0` → 4.2,
 * `==4.1.7` → 4.1, `^3.2` → 3.2 (Poetry caret: below 4.0), `~=4.2.0` → 4.2, `>=4.2` → newest.
 */
export function newestAllowed(constraint: string): string | undefined {
  const c = constraint.replace(/\s+/g, '');
  if (c === '' || c === '*') return undefined;
  let candidates = [...RELEASE_LINES];
  let matchedAny = false;
  for (const part of c.split(',')) {
    const m = /^(===|==|~=|!=|<=|>=|<|>|\^|~)?v?(\d+(?:\.\d+)*)(?:\.\*)?/.exec(part);
    if (!m) continue;
    matchedAny = true;
    const op = m[1] ?? '==';
    const ver = m[2]!;
    const l = line(ver);
    switch (op) {
      case '==':
      case '===':
        candidates = candidates.filter((x) => x === l);
        if (candidates.length === 0) candidates = [l];
        break;
      case '~=': {
        const parts = ver.split('.');
        // ~=4.2.0 → ==4.2.*; ~=4.2 → >=4.2,<5
        if (parts.length >= 3) candidates = candidates.filter((x) => x === l);
        else candidates = candidates.filter((x) => compareVersions(x, l) >= 0 && compareVersions(x, `${Number(parts[0]) + 1}.0`) < 0);
        break;
      }
      case '^': {
        const [maj] = ver.split('.');
        candidates = candidates.filter((x) => compareVersions(x, l) >= 0 && compareVersions(x, `${Number(maj) + 1}.0`) < 0);
        break;
      }
      case '~':
        candidates = candidates.filter((x) => x === l);
        break;
      case '>=':
        candidates = candidates.filter((x) => compareVersions(x, l) >= 0);
        break;
      case '>':
        candidates = candidates.filter((x) => compareVersions(x, ver) > 0 || (compareVersions(x, l) > 0));
        break;
      case '<':
        candidates = candidates.filter((x) => compareVersions(x, ver) < 0);
        break;
      case '<=':
        candidates = candidates.filter((x) => compareVersions(x, l) <= 0);
        break;
      case '!=':
        break;
    }
  }
  if (!matchedAny) return undefined;
  return candidates[candidates.length - 1];
}

interface Found {
  version: string;
  source: string;
  file: string;
  exact: boolean;
}

function fromRequirements(text: string): { spec: string; raw: string } | undefined {
  for (const rawLine of text.split(/\r?\n/)) {
    // comments, line continuations and pip options (`--hash=…`) are not part of the requirement
    const l = rawLine.replace(/#.*$/, '').replace(/\s--?[a-z][\w-]*(=\S*)?/g, '').replace(/\\\s*$/, '').trim();
    const m = /^django(\[[^\]]*\])?\s*((?:[<>=!~^]=?|===)\s*[\d.*]+(?:\s*,\s*(?:[<>=!~]=?|===)\s*[\d.*]+)*)?\s*(;.*)?$/i.exec(l);
    if (m) return { spec: m[2] ?? '', raw: l };
  }
  return undefined;
}

function fromPyproject(text: string): { spec: string; raw: string } | undefined {
  // PEP 621: "django>=4.2,<5" inside a dependencies array
  const pep = /["']django(\[[^\]]*\])?(?![\w.-])\s*([^"';]*)["';]/i.exec(text);
  if (pep) return { spec: pep[2] ?? '', raw: pep[0].replace(/["']/g, '') };
  // Poetry: django = "^4.2" or django = { version = "^4.2", ... }
  const poetry = /^\s*django\s*=\s*(?:"([^"]*)"|'([^']*)'|\{[^}]*version\s*=\s*"([^"]*)")/im.exec(text);
  if (poetry) return { spec: poetry[1] ?? poetry[2] ?? poetry[3] ?? '', raw: poetry[0].trim() };
  return undefined;
}

function fromLock(name: string, text: string): string | undefined {
  if (name === 'Pipfile.lock') {
    const m = /"django"\s*:\s*\{[^}]*?"version"\s*:\s*"==([\d.]+)"/i.exec(text);
    return m?.[1];
  }
  // poetry.lock, uv.lock, pdm.lock: [[package]] name = "django" version = "4.2.7"
  const m = /\[\[package\]\]\s*\n\s*name\s*=\s*"django"\s*\n\s*version\s*=\s*"([\d.]+)"/i.exec(text);
  return m?.[1];
}

/** Detects the Django version from the project's dependency files (closest to the project root first). */
export function detectDjangoVersion(fs: FileSystem, files: readonly ScannedFile[], projectRoot: string, override?: string): DjangoVersion {
  if (override && /^\d+\.\d+/.test(override)) {
    return { version: line(override), source: `the djangoVersion setting (${override})`, assumed: false };
  }
  const distance = (f: string): number => {
    const rel = path.relative(projectRoot, path.dirname(f));
    return rel.startsWith('..') ? 100 + rel.split(path.sep).length : rel === '' ? 0 : rel.split(path.sep).length;
  };
  const relevant = files
    .filter((f) => ['lockfile', 'requirements', 'pyproject', 'pipfile', 'setupcfg', 'setuppy'].includes(f.kind))
    .sort((a, b) => distance(a.path) - distance(b.path));
  const found: Found[] = [];
  for (const f of relevant) {
    const text = fs.readText(f.path);
    if (!text) continue;
    const name = path.basename(f.path);
    const display = path.relative(projectRoot, f.path).split(path.sep).join('/') || name;
    if (f.kind === 'lockfile') {
      const v = fromLock(name, text);
      if (v) found.push({ version: line(v), source: `${display}: Django ${v}`, file: f.path, exact: true });
      continue;
    }
    let spec: { spec: string; raw: string } | undefined;
    if (f.kind === 'requirements') spec = fromRequirements(text);
    else if (f.kind === 'pyproject' || f.kind === 'pipfile') spec = fromPyproject(text);
    else if (f.kind === 'setupcfg' || f.kind === 'setuppy') {
      const m = /(?<![\w.-])["']?django(?![\w.-])\s*((?:[<>=!~]=?\s*[\d.*]+\s*,?\s*)*)["']?/i.exec(text.split(/install_requires/i)[1] ?? '');
      if (m) spec = { spec: m[1] ?? '', raw: m[0] };
    }
    if (!spec) continue;
    const v = newestAllowed(spec.spec) ?? DJANGO_NEWEST_VERSION;
    const isDev = /dev|test|local|ci/i.test(name);
    found.push({ version: v, source: `${display}: ${spec.raw.trim()}`, file: f.path, exact: /^(==|===)/.test(spec.spec.trim()) && !isDev });
  }
  const best = found.find((f) => f.exact) ?? found[0];
  if (best) return { version: best.version, source: best.source, assumed: false, file: best.file };
  return { version: DJANGO_NEWEST_VERSION, source: `no dependency file names Django; assuming the newest (${DJANGO_NEWEST_VERSION})`, assumed: true };
}
