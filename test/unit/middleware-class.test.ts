// A project's class listed in MIDDLEWARE in place of a known middleware it derives from
// (models/settings/middlewareClass.ts): the base resolved through the module's imports in each
// form Python allows, a package re-exporting the class, a second project class in between, and
// the phase methods it overrides without handing them on to the base.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { holdsMiddleware, MW, middlewareInfo } from '../../server/src/analysis/models/settings/middleware';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';

const ROOT = '/ws';

/** A reader over in-memory modules (dotted file paths under ROOT). */
function reader(files: Record<string, string>) {
  const docs = new Map(Object.entries(files).map(([f, text]) => [path.join(ROOT, f), PythonDocument.parse(text)]));
  return { importRoots: [ROOT], document: (f: string) => docs.get(f) };
}

/** What the entry is, read afresh (a new key: nothing kept from another case). */
function info(files: Record<string, string>, entry: string) {
  return middlewareInfo(reader(files), entry, {});
}

describe('a project middleware deriving from a known one', () => {
  before(async () => {
    await loadParser();
  });

  it('from x import Y', () => {
    const i = info(
      { 'proj/mw.py': 'from csp.middleware import CSPMiddleware\n\nclass Eager(CSPMiddleware):\n    pass\n' },
      'proj.mw.Eager',
    );
    assert.equal(i.is, MW.djangoCsp);
    assert.equal(i.file, path.join(ROOT, 'proj/mw.py'));
    assert.equal(i.overrides, undefined);
  });

  it('from x import Y as Z', () => {
    const i = info(
      { 'proj/mw.py': 'from whitenoise.middleware import WhiteNoiseMiddleware as WN\n\nclass Mine(WN):\n    pass\n' },
      'proj.mw.Mine',
    );
    assert.equal(i.is, MW.whitenoise);
  });

  it('import x.y, the base written dotted', () => {
    const i = info(
      { 'proj/mw.py': 'import django.middleware.security\n\nclass Sec(django.middleware.security.SecurityMiddleware):\n    pass\n' },
      'proj.mw.Sec',
    );
    assert.equal(i.is, MW.security);
  });

  it('import x.y as z', () => {
    const i = info({ 'proj/mw.py': 'import corsheaders.middleware as cm\n\nclass Cors(cm.CorsMiddleware):\n    pass\n' }, 'proj.mw.Cors');
    assert.equal(i.is, MW.cors);
  });

  it('a package re-exporting the class (one level), relative import', () => {
    const i = info(
      {
        'proj/middleware/__init__.py': 'from .frames import Frames  # noqa\n',
        'proj/middleware/frames.py':
          'from django.middleware.clickjacking import XFrameOptionsMiddleware\n\nclass Frames(XFrameOptionsMiddleware):\n    pass\n',
      },
      'proj.middleware.Frames',
    );
    assert.equal(i.is, MW.xframe);
    assert.equal(i.file, path.join(ROOT, 'proj/middleware/frames.py'));
  });

  it("the base imported through the project's own module that re-exports the library's class", () => {
    const i = info(
      {
        'proj/compat.py': 'from django.contrib.sessions.middleware import SessionMiddleware\n',
        'proj/mw.py': 'from proj.compat import SessionMiddleware\n\nclass Sess(SessionMiddleware):\n    pass\n',
      },
      'proj.mw.Sess',
    );
    assert.equal(i.is, MW.session);
  });

  it('one more level of project subclassing (a base of the project in another module, and in the same one)', () => {
    const files = {
      'proj/base.py': 'from django.middleware.csrf import CsrfViewMiddleware\n\nclass BaseCsrf(CsrfViewMiddleware):\n    pass\n',
      'proj/mw.py': 'from proj.base import BaseCsrf\n\nclass Mid(BaseCsrf):\n    pass\n\nclass Leaf(Mid):\n    pass\n',
    };
    assert.equal(info(files, 'proj.mw.Mid').is, MW.csrf);
    assert.equal(info(files, 'proj.mw.Leaf').is, MW.csrf);
  });

  it('a base outside the workspace and not known, or a name not bound: not a known middleware', () => {
    assert.equal(info({ 'proj/mw.py': 'from other.mw import Thing\n\nclass M(Thing):\n    pass\n' }, 'proj.mw.M').is, undefined);
    assert.equal(info({ 'proj/mw.py': 'class M(SecurityMiddleware):\n    pass\n' }, 'proj.mw.M').is, undefined);
  });

  it('overrides: a phase method not handing on to the base is named; one calling super() is not', () => {
    const untouched = info(
      {
        'proj/mw.py':
          'from django.middleware.security import SecurityMiddleware\n\nclass Quiet(SecurityMiddleware):\n    def process_response(self, request, response):\n        return response\n',
      },
      'proj.mw.Quiet',
    );
    assert.equal(untouched.is, MW.security, 'still taken for the base');
    assert.deepEqual(untouched.overrides, ['process_response']);
    const handsOn = info(
      {
        'proj/mw.py':
          'from csp.middleware import CSPMiddleware\n\nclass Eager(CSPMiddleware):\n    def process_request(self, request):\n        super().process_request(request)\n        str(request.csp_nonce)\n',
      },
      'proj.mw.Eager',
    );
    assert.equal(handsOn.is, MW.djangoCsp);
    assert.equal(handsOn.overrides, undefined);
    // an override in the project's class between carries to the leaf
    const carried = info(
      {
        'proj/mw.py':
          'from whitenoise.middleware import WhiteNoiseMiddleware\n\nclass A(WhiteNoiseMiddleware):\n    def __call__(self, request):\n        return self.get_response(request)\n\nclass B(A):\n    pass\n',
      },
      'proj.mw.B',
    );
    assert.deepEqual(carried.overrides, ['__call__']);
  });

  it('holdsMiddleware: the subclass holds the known middleware; an unreadable entry is judged by its path', () => {
    const r = reader({ 'proj/mw.py': 'from csp.middleware import CSPMiddleware\n\nclass Eager(CSPMiddleware):\n    pass\n' });
    const settings = (items: string[]) =>
      ({
        get: () => ({ value: { kind: 'list', items: items.map((v) => ({ kind: 'str', v })) } }),
      }) as never;
    assert.equal(holdsMiddleware(r, settings(['proj.mw.Eager']), MW.djangoCsp), true);
    assert.equal(holdsMiddleware(r, settings(['other.mw.Eager']), MW.djangoCsp), false);
  });
});
