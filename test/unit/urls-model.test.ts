// The URL model (models/project/urls.ts): whether a request path is served by ROOT_URLCONF's patterns —
// yes, no, or unknown as soon as something the reading cannot follow could add a pattern.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { pathServed } from '../../server/src/analysis/models/project/urls';

before(async () => {
  await loadParser();
});

function served(files: Record<string, string>, path: string): string {
  const fs = new MemoryFileSystem({ 'site/__init__.py': '', ...files }, '/p');
  const r = pathServed(fs, ['/p'], 'site.urls', path);
  return r.served === 'unknown' ? `unknown: ${r.why}` : String(r.served);
}

const URLS = `from django.urls import include, path, re_path
from django.conf import settings
from django.conf.urls.static import static

urlpatterns = [
    path("health/", view),
    path("api/", include("site.api")),
    re_path(r"^ping/?$", view),
    path("items/<int:pk>/", view),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.DEBUG:
    urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]
`;

describe('the URL model', () => {
  const files = { 'site/urls.py': URLS, 'site/api.py': 'from django.urls import path\nurlpatterns = [path("status", view)]\n' };

  it('literal routes, converters, includes and regex patterns', () => {
    assert.equal(served(files, '/health/'), 'true');
    assert.equal(served(files, '/health'), 'false', 'only with the slash (APPEND_SLASH is the rule’s business)');
    assert.equal(served(files, '/api/status'), 'true');
    assert.equal(served(files, '/api/status?full=1'), 'true');
    assert.equal(served(files, '/ping'), 'true');
    assert.equal(served(files, '/items/12/'), 'true');
    assert.equal(served(files, '/items/x/'), 'false');
    assert.equal(served(files, '/healthz'), 'false');
  });

  it("a docstring that names urlpatterns (startproject's) changes nothing", () => {
    const doc = '"""The `urlpatterns` list routes URLs to views."""\nfrom django.urls import path\n\nurlpatterns = [path("a/", v)]\n';
    assert.equal(served({ 'site/urls.py': doc }, '/a/'), 'true');
    assert.equal(served({ 'site/urls.py': doc }, '/b/'), 'false');
  });

  it('a debug-only block and static() add nothing in production', () => {
    assert.equal(served(files, '/__debug__/'), 'false');
  });

  it('anything the reading cannot follow makes a path not found unknown', () => {
    assert.match(served({ 'site/urls.py': 'urlpatterns = i18n_patterns(path("a/", v))\n' }, '/b/'), /^unknown/);
    assert.match(
      served({ 'site/urls.py': 'urlpatterns = [path("a/", include("elsewhere.urls"))]\n' }, '/a/x'),
      /^unknown: elsewhere\.urls is not in the workspace/,
    );
    assert.match(served({ 'site/urls.py': 'urlpatterns = [path("a/", v)]\nurlpatterns += router.urls\n' }, '/b/'), /^unknown/);
    assert.match(served({ 'site/urls.py': 'urlpatterns = [path(PREFIX + "a/", v)]\n' }, '/b/'), /^unknown/);
    assert.match(served({ 'site/urls.py': 'urlpatterns = []\nfor p in plugins:\n    urlpatterns.append(p)\n' }, '/b/'), /^unknown/);
    // …but a pattern that serves it still answers yes
    assert.equal(served({ 'site/urls.py': 'urlpatterns = [path("a/", v)]\nurlpatterns += router.urls\n' }, '/a/'), 'true');
  });

  it('an include of itself ends', () => {
    assert.match(
      served({ 'site/urls.py': 'urlpatterns = [path("a/", include("site.urls"))]\n' }, '/a/a/b'),
      /^unknown: site\.urls includes itself/,
    );
  });
});
