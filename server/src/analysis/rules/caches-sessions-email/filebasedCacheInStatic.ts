// DDH802: Django's caches.W002 — a FileBasedCache directory that matches, lies inside or contains
// MEDIA_ROOT, STATIC_ROOT or a STATICFILES_DIRS entry.
import { isSupplied } from '../../models/settings/query';
import * as path from 'node:path';
import * as V from '../../eval/values';
import type { Value } from '../../eval/values';
import { echoable } from '../helpers';
import type { Rule } from '../types';

const FILE_BASED = 'django.core.cache.backends.filebased.FileBasedCache';

type PathInfo = { path: string } | { unknown: string } | undefined;

/**
 * A path value as Django resolves it (`pathlib.Path(x).resolve()`): absolute paths normalised;
 * relative ones depend on the working directory, so they only compare with other relative ones
 * (both are then resolved against the same directory). Symbolic links cannot be followed.
 */
function pathOf(v: Value): PathInfo {
  if (v.kind === 'unknown') return isSupplied(v) ? undefined : { unknown: v.reason };
  const s = v.kind === 'str' || v.kind === 'path' ? v.v : undefined;
  if (s === undefined) return undefined;
  const normal = path.posix.normalize(s.replace(/\\/g, '/'));
  return { path: normal.length > 1 ? normal.replace(/(?<!\/)\/+$/, '') : normal };
}

const isAbs = (p: string): boolean => p.startsWith('/');

/** "matches", "is inside", "contains", undefined (none), or null when the paths cannot be compared. */
function relation(cache: string, setting: string): 'matches' | 'is inside' | 'contains' | undefined | null {
  if (isAbs(cache) !== isAbs(setting)) return null;
  if (cache === setting) return 'matches';
  const under = (child: string, parent: string): boolean =>
    parent === '.' ? !child.startsWith('..') : child.startsWith(parent === '/' ? '/' : parent + '/');
  if (under(cache, setting)) return 'is inside';
  if (under(setting, cache)) return 'contains';
  return undefined;
}

export const filebasedCacheInStatic: Rule = {
  code: 'DDH802',
  name: 'filebased-cache-in-static',
  title: 'File-based cache inside public directories',
  severity: 'warning',
  group: 'caches-sessions-email',
  checklist: 'cache',
  django: ['caches.W002', 'caches.W003'],
  djangoVersions: { since: '3.2' },
  target: 'settings',
  docs: {
    what: "Mirrors Django's `caches.W002` and `caches.W003` (Django 3.2+): a relative `LOCATION` (W003), or the directory of a `FileBasedCache` (`LOCATION` of any `CACHES` alias) is the same as, inside, or a parent of `MEDIA_ROOT`, `STATIC_ROOT` or an entry of `STATICFILES_DIRS` (for `(prefix, path)` pairs, the path). One finding per cache alias and setting, naming the first relation that holds in Django's order: matches, is inside, contains. Paths are compared as written, normalised; relative paths (which Django resolves against the working directory) are only compared with other relative paths, and symbolic links cannot be followed.",
    why: 'Anything under MEDIA_ROOT or STATIC_ROOT is served to the public by the web server, WhiteNoise or the CDN: cache files hold pickled data — rendered pages, session data, query results — that anyone could then download. The other way round, a cache directory that contains the media or static directory is culled by the cache, which deletes files it thinks are old cache entries: uploads and collected files disappear.',
    example:
      'MEDIA_ROOT = BASE_DIR / "media"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": BASE_DIR / "media" / "cache"}}',
    fix: 'Give the cache its own directory outside the media and static trees, e.g. `/var/tmp/django_cache`, or use Redis or Memcached. There is no quick fix: only you know a directory that exists and is writable on the server.',
    good: 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/var/tmp/django_cache"}}',
    references: [
      { title: 'Django system checks: caches', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#caches' },
      { title: 'Django: filesystem caching', url: 'https://docs.djangoproject.com/en/stable/topics/cache/#filesystem-caching' },
    ],
  },
  check(ctx) {
    const caches = ctx.settings.get('CACHES');
    const cv = caches.value;
    if (cv.kind === 'unknown') return isSupplied(cv) ? undefined : ctx.unknown(`CACHES is not known statically: ${cv.reason}`, caches.loc);
    if (cv.kind !== 'dict') return;
    let undecided: string | undefined = cv.partial ? 'CACHES may hold entries the analysis cannot read' : undefined;
    const fileCaches: { alias: string; dir: string; loc: ReturnType<typeof ctx.settings.locOf> }[] = [];
    cv.keys.forEach((k, i) => {
      const entry = cv.values[i]!;
      const alias = k.kind === 'str' ? k.v : '?';
      if (entry.kind !== 'dict') {
        if (entry.kind === 'unknown' && !isSupplied(entry)) undecided ??= `CACHES["${echoable(alias) ?? '…'}"] is not known statically`;
        return;
      }
      const backend = V.dictGetStr(entry, 'BACKEND');
      if (backend === undefined || backend?.kind === 'unknown') {
        if (backend === undefined || !isSupplied(backend))
          undecided ??= `the BACKEND of CACHES["${echoable(alias) ?? '…'}"] is not known statically`;
        return;
      }
      if (backend?.kind !== 'str' || backend.v !== FILE_BASED) return;
      const location = V.dictGetStr(entry, 'LOCATION');
      if (location === null) return;
      const p = location === undefined ? { unknown: 'it may be set where the analysis cannot see it' } : pathOf(location);
      if (!p) return;
      if ('unknown' in p) {
        undecided ??= `the LOCATION of CACHES["${echoable(alias) ?? '…'}"] is not known statically`;
        return;
      }
      fileCaches.push({ alias, dir: p.path, loc: ctx.settings.locOf(location) ?? ctx.settings.locOf(entry) ?? caches.loc });
    });
    if (fileCaches.length === 0) {
      if (undecided) ctx.unknown(undecided, caches.loc);
      else ctx.notApplicable('no file-based cache is configured');
      return;
    }
    // caches.W003 (Django 3.2+): a relative directory resolves against each process's working
    // directory, so the web workers, a management command and a task worker may each use another
    for (const c of fileCaches) {
      if (isAbs(c.dir)) continue;
      ctx.report({
        loc: c.loc ?? caches.loc,
        django: 'caches.W003',
        message: `The LOCATION of the file-based cache CACHES["${echoable(c.alias) ?? '…'}"] is a relative path: it resolves against the working directory of each process (the web server, a management command, a task worker), which may each use a different directory; use an absolute path such as BASE_DIR / "cache".`,
      });
    }
    for (const name of ['MEDIA_ROOT', 'STATIC_ROOT', 'STATICFILES_DIRS'] as const) {
      const s = ctx.settings.get(name);
      const v = s.value;
      if (v.kind === 'unknown') {
        if (!isSupplied(v)) undecided ??= `${name} is not known statically`;
        continue;
      }
      if (V.truthy(v) !== true) continue;
      const paths: string[] = [];
      const values = name === 'STATICFILES_DIRS' ? (V.isSeq(v) ? v.items : []) : [v];
      for (let item of values) {
        if (name === 'STATICFILES_DIRS' && (item.kind === 'tuple' || item.kind === 'list') && item.items.length === 2)
          item = item.items[1]!;
        const p = pathOf(item);
        if (!p) continue;
        if ('unknown' in p) undecided ??= `an entry of ${name} is not known statically`;
        else paths.push(p.path);
      }
      for (const c of fileCaches) {
        const rels = paths.map((p) => relation(c.dir, p));
        if (rels.includes(null))
          undecided ??= `the LOCATION of CACHES["${echoable(c.alias) ?? '…'}"] and ${name} mix relative and absolute paths, which depend on the working directory`;
        const rel = (['matches', 'is inside', 'contains'] as const).find((r) => rels.includes(r));
        if (!rel) continue;
        ctx.report({
          loc: c.loc ?? caches.loc,
          message: `The LOCATION of the file-based cache CACHES["${echoable(c.alias) ?? '…'}"] ${rel} ${name}: cache files can be served publicly, or media and static files deleted by cache culling; move it to a directory of its own.`,
        });
      }
    }
    if (undecided) ctx.unknown(undecided, caches.loc);
  },
};
