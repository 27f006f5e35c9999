// Gunicorn config modules: each one read once per build (evaluated by the build's evaluator), the
// file a -c/--config value names (`python:pkg.module`, `file:path`, a path relative to where the
// process runs, a container or host path matched by its tail in the workspace), and the
// ./gunicorn.conf.py gunicorn loads when no config is named.
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import { readConfig, type GunicornConfig } from '../../readers/python/gunicornConfig';
import type { Token } from '../../readers/text';
import { resolveModuleFile } from '../project/model';
import type { ProcessSource } from '../process/index';
import { bySuffix, exists, runDirs, type AppServerBuild } from './build';
import type { ConfigRef } from './types';

/** The config module in `file`, read and evaluated the first time it is asked for. */
export function loadConfig(b: AppServerBuild, file: string): GunicornConfig | undefined {
  if (!b.configs.has(file)) {
    const doc = b.ws.document(file);
    if (!doc) b.configs.set(file, undefined);
    else {
      const m = /\S[^\r\n]*/.exec(doc.text);
      const anchor: Loc = m ? { file, start: m.index, end: m.index + m[0].trimEnd().length } : { file, start: 0, end: 0 };
      b.configs.set(file, readConfig(doc, file, b.evaluator, anchor));
    }
  }
  return b.configs.get(file);
}

/**
 * Files whose path ends with `tail` among the workspace's and the Python files of the repository
 * that come with the project from above the analysed folder (a systemd unit's config,
 * contrib/gunicorn.py beside contrib/app.service, when the folder opened is app/).
 */
function configsBySuffix(b: AppServerBuild, tail: string): string[] {
  const hits = bySuffix(b, tail);
  const norm = tail
    .split('/')
    .filter((p) => p && p !== '.')
    .join(path.sep);
  if (!norm || !b.scan) return hits;
  const scanRoot = b.scan.root;
  for (const f of b.project.files) {
    const p = f.path;
    if (!p.endsWith('.py') || p === scanRoot || p.startsWith(scanRoot + path.sep) || hits.includes(p)) continue;
    if (p.endsWith(path.sep + norm)) hits.push(p);
  }
  return hits;
}

/** Where a -c/--config value points: found (the file), missing, or unknown (set at run time, or ambiguous). */
export function resolveConfigRef(b: AppServerBuild, token: Token, src: ProcessSource | undefined): ConfigRef {
  let text = token.text;
  const base = { text, loc: token.loc, token };
  if (token.dynamic) return { ...base, status: 'unknown' };
  if (text.startsWith('python:')) {
    const mod = text.slice(7);
    const r = resolveModuleFile(b.ws.fs, [...runDirs(b, src), ...b.project.importRoots], mod);
    if (r) return { ...base, status: 'found', file: r.file };
    const tail = configsBySuffix(b, mod.split('.').join('/') + '.py');
    return tail.length === 1 ? { ...base, status: 'found', file: tail[0] } : { ...base, status: tail.length > 1 ? 'unknown' : 'missing' };
  }
  if (text.startsWith('file:')) text = text.slice(5);
  if (path.isAbsolute(text)) {
    const mapped = src?.mapPath?.(text);
    if (mapped && exists(b, mapped)) return { ...base, status: 'found', file: mapped };
    // a host path (systemd) or an unmapped container path: match its tail in the workspace
    const parts = text.split('/').filter(Boolean);
    for (let k = 0; k < parts.length - 1; k++) {
      const hits = configsBySuffix(b, parts.slice(k).join('/'));
      if (hits.length === 1) return { ...base, status: 'found', file: hits[0] };
      if (hits.length > 1) return { ...base, status: 'unknown' };
    }
    const byName = configsBySuffix(b, parts[parts.length - 1] ?? '');
    return byName.length === 1 ? { ...base, status: 'found', file: byName[0] } : { ...base, status: 'unknown' };
  }
  for (const d of runDirs(b, src)) {
    const p = path.resolve(d, text);
    if (exists(b, p)) return { ...base, status: 'found', file: p };
  }
  const hits = configsBySuffix(b, text);
  if (hits.length === 1) return { ...base, status: 'found', file: hits[0] };
  if (hits.length > 1) return { ...base, status: 'unknown' };
  // a path relative to a working directory we could not map
  if (src?.runDir && !src.workingDir) return { ...base, status: 'unknown' };
  return { ...base, status: configsBySuffix(b, path.basename(text)).length > 0 ? 'unknown' : 'missing' };
}

/** The config gunicorn loads by itself when none is named: ./gunicorn.conf.py in the first folder the process may run in that has one. */
export function defaultConfig(b: AppServerBuild, src: ProcessSource | undefined): GunicornConfig | undefined {
  for (const d of runDirs(b, src)) {
    const p = path.join(d, 'gunicorn.conf.py');
    if (exists(b, p)) return loadConfig(b, p);
  }
  return undefined;
}
