// The loopback lab (issue 33, item 4): the cross-file rules against reality. For a bad case of each
// rule, the case's own nginx site and settings run for real on the loopback — Debian's nginx in
// front of Debian's gunicorn serving a small Django project made of the case's settings module (plus
// a ROOT_URLCONF with three views: one exempt from CSRF, one not, one answering its absolute URL, and
// a CSRF_FAILURE_VIEW answering 403 with Django's reason, which Django's own page shows only with
// DEBUG) — and the failure the rule describes shows: the redirect to the same address (DDX101's
// loop), 400 (DDX102), 413 (DDX103), 502 (DDX104), two HSTS headers with Django's first (DDX109),
// DDX111's loop (nginx sends X-Forwarded-Proto from an address gunicorn does not trust: nginx
// connects from 127.0.0.3 with proxy_bind, the lab's stand-in for another host) and, with the
// redirect off, DDX115's http:// absolute URL for an https request and its browser's https form post
// refused (403, Origin checking failed: Django takes its own origin for http), 403 on a form post
// (DDX112: CSRF checked against the Host nginx sent), 404 for a collected static file or an upload
// (DDX113: nginx's folder is not STATIC_ROOT or MEDIA_ROOT; the lab writes the file where
// collectstatic or an upload would have), an absolute URL naming the client's X-Forwarded-Host
// (DDX114). Then the rule's quick fix (or, for DDX104 and DDX109, which offer none, the fix their
// documentation gives) is applied to the site (DDX111's and DDX115's to the settings) and the same
// request succeeds. Only addresses are
// changed in the case's files: listen ports and the app's address (the same mapping for nginx and
// gunicorn, so a mismatch stays a mismatch), the deployment folder /srv/mysite (a folder of the
// lab), certificate paths, relative includes (Debian's proxy_params, read from /etc/nginx), and an
// include of the site into a minimal main configuration.
//
// Needs nginx, openssl, gunicorn and Django (test/proxy/setup.mjs installs them). Without them the
// lab is skipped, except under CI=true, where that is a failure. The Django is 4.2 from Debian's
// bookworm-backports, which the setup unpacks into .cache/debian-backports/python3-django (not
// installed: the system's is Debian 12's 3.2, which the parity and pydiff stages compare against)
// and the lab puts first on gunicorn's PYTHONPATH; the version gunicorn's Python imports is checked
// before the lab runs. The cases that need Django 4.0 or later (the CSRF Origin check) fail under
// CI=true on an older one, and are skipped with the reason elsewhere; without the unpacked folder the
// others run on the system's Django.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyEdits } from '../../server/src/analysis/rules/fixes/edits';
import { parseNginx, walkNginx } from '../../server/src/analysis/readers/proxy/nginx';
import { analyzeCase, casesOf, loadCase } from '../helpers/fixtures';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { backportPaths } from '../helpers/debian.cjs';
import { REPO } from '../helpers/paths';

const NGINX = process.env.DDH_NGINX || '/usr/sbin/nginx';
const PYTHON = '/usr/bin/python3';
const CI = process.env.CI === 'true';

let missing: string | undefined;
let work = '';
/** The Django gunicorn's Python imports: its version (major, minor) and where it is, read before the lab runs. */
let django: [number, number] = [0, 0];
let djangoFile = '';

/** Django 4.2 from bookworm-backports, unpacked by test/proxy/setup.mjs (absent: the system's Django). */
const LAB_DJANGO_PATH = backportPaths(REPO, 'python3-django').pythonPath;

/** The environment of the lab's Python: the unpacked Django first on its path, when it is there. */
function pythonEnv(): NodeJS.ProcessEnv {
  const first = existsSync(LAB_DJANGO_PATH) ? [LAB_DJANGO_PATH] : [];
  const rest = process.env.PYTHONPATH ? [process.env.PYTHONPATH] : [];
  return { ...process.env, PYTHONPATH: [...first, ...rest].join(path.delimiter), PYTHONDONTWRITEBYTECODE: '1' };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Waits until something accepts connections at a TCP port or a unix socket (bounded: 100 tries). */
async function listening(target: { port: number } | { path: string }): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(target as net.NetConnectOpts);
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens at ${JSON.stringify(target)}`);
}

interface Reply {
  readonly status: number;
  readonly location?: string;
  /** Every Strict-Transport-Security header of the response, in order. */
  readonly sts: string[];
  readonly body: string;
}

type RequestOptions = { method?: string; body?: Buffer; host?: string; path?: string; headers?: Record<string, string> };

function request(port: number, tls: boolean, opts: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const mod = tls ? https : http;
    const req = mod.request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path ?? '/',
        method: opts.method ?? 'GET',
        headers: {
          Host: opts.host ?? 'example.com',
          ...opts.headers,
          ...(opts.body ? { 'Content-Type': 'application/octet-stream', 'Content-Length': opts.body.length } : {}),
        },
        servername: 'example.com',
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        const sts = res.rawHeaders.filter((_, i) => i % 2 === 1 && res.rawHeaders[i - 1]!.toLowerCase() === 'strict-transport-security');
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, sts, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

/** The addresses of the case mapped onto the lab's: fixture address → lab address. */
type AddressMap = Map<string, string>;

/** The site with its listen ports, app addresses and certificates replaced (found with the reader). */
function labSite(text: string, listen: Map<string, number>, app: AddressMap, from?: string): string {
  const parsed = parseNginx('site.conf', text);
  assert.deepEqual(parsed.errors, []);
  const edits: { start: number; end: number; newText: string; file: string }[] = [];
  const put = (loc: { start: number; end: number }, newText: string): void => {
    edits.push({ file: 'site.conf', start: loc.start, end: loc.end, newText });
  };
  for (const d of walkNginx(parsed.directives)) {
    const a = d.args[0];
    if (!a) continue;
    if (d.name === 'listen') put(a.loc, `127.0.0.1:${listen.get(a.text) ?? assert.fail(`no lab port for listen ${a.text}`)}`);
    if (d.name === 'ssl_certificate') put(a.loc, path.join(work, 'cert.pem'));
    if (d.name === 'ssl_certificate_key') put(a.loc, path.join(work, 'key.pem'));
    if (d.name === 'proxy_pass') {
      const m = /^http:\/\/(unix:[^:]*:?|[^/]*)(.*)$/.exec(a.text);
      assert.ok(m, a.text);
      const addr = m[1]!.replace(/:$/, '');
      const to = app.get(addr) ?? addr;
      put(a.loc, `http://${to}${to.startsWith('unix:') ? ':' : ''}${m[2]}`);
      // the proxy on another host: nginx connects from another loopback address than 127.0.0.1
      if (from) edits.push({ file: 'site.conf', start: d.loc.start, end: d.loc.start, newText: `proxy_bind ${from}; ` });
    }
    if (d.name === 'server' && !d.block && app.has(a.text)) put(a.loc, app.get(a.text)!);
    // the deployment's folders (/srv/mysite) are folders of the lab
    if (d.name === 'alias' || d.name === 'root')
      for (const [from, to] of app) if (from.startsWith('/') && a.text.startsWith(from)) put(a.loc, to + a.text.slice(from.length));
    // nginx reads a relative include from its prefix: Debian's stock files (proxy_params) are in /etc/nginx
    if (d.name === 'include' && !path.isAbsolute(a.text)) put(a.loc, path.join('/etc/nginx', a.text));
  }
  return applyEdits(text, edits);
}

class Lab {
  private procs: ChildProcess[] = [];
  constructor(readonly dir: string) {}

  async gunicorn(bind: string): Promise<void> {
    const p = spawn(PYTHON, ['-m', 'gunicorn', 'mysite.wsgi', '--bind', bind, '--workers', '1', '--timeout', '30'], {
      cwd: this.dir,
      env: { ...pythonEnv(), DJANGO_SECRET_KEY: 'lab-secret-key-not-used-anywhere-else-0123456789abcdef' },
      stdio: 'ignore',
    });
    this.procs.push(p);
    await listening(bind.startsWith('unix:') ? { path: bind.slice(5) } : { port: Number(bind.split(':')[1]) });
  }

  async nginx(site: string, ports: number[]): Promise<void> {
    const siteFile = path.join(this.dir, 'site.conf');
    writeFileSync(siteFile, site);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `${t}_temp_path ${path.join(this.dir, `${t}-temp`)};`)
      .join(' ');
    writeFileSync(
      path.join(this.dir, 'nginx.conf'),
      `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;\nevents {}\nhttp {\n    access_log off;\n    ${temp}\n    include ${siteFile};\n}\n`,
    );
    const p = spawn(
      NGINX,
      [
        '-p',
        this.dir,
        '-e',
        'stderr',
        '-c',
        path.join(this.dir, 'nginx.conf'),
        '-g',
        `daemon off; pid ${path.join(this.dir, 'nginx.pid')};`,
      ],
      {
        stdio: 'ignore',
      },
    );
    this.procs.push(p);
    for (const port of ports) await listening({ port });
  }

  /** Stops every process it started, and waits until each has exited (its ports are free again). */
  async stop(): Promise<void> {
    const procs = this.procs;
    this.procs = [];
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
  }
}

/**
 * A small Django project of the case's settings: mysite/settings.py as the case has it, plus the
 * lab's URLs and its CSRF failure view (Django's reason in the body: its own page hides it without DEBUG).
 */
function djangoProject(caseDir: string, dir: string, settingsText?: string): void {
  mkdirSync(path.join(dir, 'mysite'), { recursive: true });
  const settings = settingsText ?? readFileSync(path.join(caseDir, 'mysite/settings.py'), 'utf8');
  writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
  writeFileSync(
    path.join(dir, 'mysite/settings.py'),
    `${settings}\nROOT_URLCONF = "mysite.urls"\nCSRF_FAILURE_VIEW = "mysite.urls.csrf_failure"\n`,
  );
  writeFileSync(
    path.join(dir, 'mysite/urls.py'),
    'from django.http import HttpResponse, HttpResponseForbidden\nfrom django.urls import path\nfrom django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef index(request):\n    return HttpResponse("%d bytes" % len(request.body))\n\n\ndef form(request):\n    return HttpResponse("posted")\n\n\ndef where(request):\n    return HttpResponse(request.build_absolute_uri("/"))\n\n\ndef csrf_failure(request, reason=""):\n    return HttpResponseForbidden(reason)\n\n\nurlpatterns = [path("", index), path("form", form), path("where", where)]\n',
  );
  writeFileSync(path.join(dir, 'mysite/wsgi.py'), readFileSync(path.join(caseDir, 'mysite/wsgi.py'), 'utf8'));
}

/** The case's nginx site and settings module with the rule's quick fix applied (the one fix of the one finding). */
function fixedCase(code: string, caseName: string): { site: string; settings: string } {
  const c = casesOf(code).find((x) => x.name === caseName)!;
  const { analysis } = analyzeCase(loadCase(c, 'settings'));
  const f = analysis.projects.flatMap((p) => p.findings).find((x) => x.code === code);
  assert.ok(f, `${code} reports nothing on ${caseName}`);
  const fix = f.fixes[0];
  assert.ok(fix, `${code} offers no fix on ${caseName}`);
  const apply = (rel: string): string => {
    const file = path.join(c.path, rel);
    return applyEdits(
      readFileSync(file, 'utf8'),
      fix.edits.filter((e) => e.file === file),
    );
  };
  return { site: apply('deploy/nginx/mysite.conf'), settings: apply('mysite/settings.py') };
}

before(async () => {
  await loadParser();
  const needs: [string, boolean][] = [
    [NGINX, existsSync(NGINX)],
    ['openssl', spawnSync('openssl', ['version']).status === 0],
    ['gunicorn (python3 -m gunicorn)', spawnSync(PYTHON, ['-c', 'import gunicorn, django'], { env: pythonEnv() }).status === 0],
  ];
  const absent = needs.filter(([, ok]) => !ok).map(([n]) => n);
  if (absent.length > 0) {
    missing = `missing: ${absent.join(', ')} (node test/proxy/setup.mjs installs them)`;
    if (CI) assert.fail(missing);
    return;
  }
  // the Django gunicorn runs: the same Python, the same environment
  const v = spawnSync(PYTHON, ['-c', 'import django; print(django.VERSION[0], django.VERSION[1], django.__file__)'], {
    env: pythonEnv(),
    encoding: 'utf8',
  });
  assert.equal(v.status, 0, v.stderr);
  const [major, minor, file] = v.stdout.trim().split(' ');
  django = [Number(major), Number(minor)];
  djangoFile = file ?? '';
  work = mkdtempSync(path.join(tmpdir(), 'ddh-lab-'));
  chmodSync(work, 0o755);
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=example.com',
      '-days',
      '2',
      '-keyout',
      path.join(work, 'key.pem'),
      '-out',
      path.join(work, 'cert.pem'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A CSRF secret as a cookie holds it (32 letters and digits), sent back as the form's token. */
const CSRF_SECRET = 'labcsrfsecret0123456789abcdefghi';

interface Scenario {
  readonly code: string;
  readonly caseName: string;
  /** What the request is, when the case has more than one scenario. */
  readonly label?: string;
  /** The oldest Django the failure shows on (major, minor). */
  readonly django?: readonly [number, number];
  /** The fixture's gunicorn bind, and its nginx listen addresses. */
  readonly bind: string;
  readonly listens: readonly string[];
  readonly request: RequestOptions;
  /** What goes wrong on the bad case. */
  readonly bad: (r: Reply) => void;
  /** The case's site once fixed (default: the rule's quick fix). */
  readonly fixed?: (site: string) => string;
  /** What the fixed site answers, beyond 200. */
  readonly good?: (r: Reply) => void;
  /** Files of the deployment (under /srv/mysite) the lab writes: what collectstatic would have put there. */
  readonly files?: Record<string, string>;
  /** nginx connects to the app from this address (the proxy on another host than the app server). */
  readonly proxyFrom?: string;
}

const SCENARIOS: Scenario[] = [
  {
    code: 'DDX101',
    caseName: 'bad-no-header',
    bind: '127.0.0.1:8000',
    listens: ['443'],
    request: {},
    // Django answers the https request with a redirect to the very same https address: a loop
    bad: (r) => {
      assert.equal(r.status, 301);
      assert.equal(r.location, 'https://example.com/');
    },
  },
  {
    code: 'DDX102',
    caseName: 'bad-loopback',
    bind: '127.0.0.1:8000',
    listens: ['443'],
    request: {},
    bad: (r) => assert.equal(r.status, 400),
  },
  {
    code: 'DDX103',
    caseName: 'bad-default',
    bind: '127.0.0.1:8000',
    listens: ['443'],
    request: { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 120) },
    bad: (r) => assert.equal(r.status, 413),
  },
  {
    code: 'DDX104',
    caseName: 'bad-socket-vs-port',
    bind: 'unix:/run/gunicorn.sock',
    listens: ['443'],
    request: {},
    bad: (r) => assert.equal(r.status, 502),
    // the documented fix: proxy_pass to the socket gunicorn binds
    fixed: (site) => site.replace('proxy_pass http://127.0.0.1:8000;', 'proxy_pass http://unix:/run/gunicorn.sock;'),
  },
  {
    code: 'DDX109',
    caseName: 'bad-different',
    bind: '127.0.0.1:8000',
    listens: ['443'],
    request: {},
    // two headers, Django's first: the one browsers keep (RFC 6797, 8.1)
    bad: (r) => assert.deepEqual(r.sts, ['max-age=3600', 'max-age=31536000; includeSubDomains']),
    // the documented fix: HSTS in one place (nginx's add_header dropped)
    fixed: (site) => site.replace(/^ *add_header Strict-Transport-Security .*\n/m, ''),
    good: (r) => assert.deepEqual(r.sts, ['max-age=3600']),
  },
  {
    code: 'DDX111',
    caseName: 'bad-other-host',
    // gunicorn on the app server 10.0.0.12, nginx on another host: here nginx connects from 127.0.0.3,
    // which gunicorn's default forwarded_allow_ips (127.0.0.1,::1) does not hold
    bind: '0.0.0.0:8000',
    proxyFrom: '127.0.0.3',
    listens: ['443'],
    request: {},
    // nginx sends X-Forwarded-Proto: https, nothing reads it: the redirect to the same address
    bad: (r) => {
      assert.equal(r.status, 301);
      assert.equal(r.location, 'https://example.com/');
    },
  },
  {
    code: 'DDX115',
    caseName: 'bad-nginx-other-host',
    // as DDX111's case, with SECURE_SSL_REDIRECT off: nginx on another host (here 127.0.0.3) ends TLS and
    // sends X-Forwarded-Proto, which neither the settings nor gunicorn (127.0.0.1,::1) read
    bind: '0.0.0.0:8000',
    proxyFrom: '127.0.0.3',
    listens: ['443'],
    // Django sees http: the absolute URL it builds for an https request starts with http://
    request: { path: '/where' },
    bad: (r) => {
      assert.equal(r.status, 200);
      assert.equal(r.body, 'http://example.com/');
    },
    good: (r) => assert.equal(r.body, 'https://example.com/'),
  },
  {
    code: 'DDX115',
    caseName: 'bad-nginx-other-host',
    label: 'https form post',
    // Django 4.0 and later check a form post's Origin against the origin of the request as Django sees it
    // (3.2 checks none: over https it compares the Referer's host only)
    django: [4, 0],
    bind: '0.0.0.0:8000',
    proxyFrom: '127.0.0.3',
    listens: ['443'],
    // a browser's form post over https: the CSRF cookie and token, and the page it was posted from
    request: {
      method: 'POST',
      path: '/form',
      body: Buffer.from('x=1'),
      headers: {
        Cookie: `csrftoken=${CSRF_SECRET}`,
        'X-CSRFToken': CSRF_SECRET,
        Origin: 'https://example.com',
        Referer: 'https://example.com/form',
      },
    },
    // Django sees http: its own origin is http://example.com, which the browser's is not
    bad: (r) => {
      assert.equal(r.status, 403);
      assert.equal(r.body, 'Origin checking failed - https://example.com does not match any trusted origins.');
    },
    // with SECURE_PROXY_SSL_HEADER (the quick fix) Django sees https: the same post is taken
    good: (r) => assert.equal(r.body, 'posted'),
  },
  {
    code: 'DDX112',
    caseName: 'bad-loopback-allowed',
    bind: '127.0.0.1:8000',
    listens: ['443'],
    // a browser's form post over https: the CSRF cookie and token, and the page it was posted from
    request: {
      method: 'POST',
      path: '/form',
      body: Buffer.from('x=1'),
      headers: {
        Cookie: `csrftoken=${CSRF_SECRET}`,
        'X-CSRFToken': CSRF_SECRET,
        Origin: 'https://example.com',
        Referer: 'https://example.com/form',
      },
    },
    // Django compares the browser's origin with the host nginx sent (127.0.0.1:port): on Django 4.0
    // and later the Origin check fails first; 3.2 checks no Origin, and fails the Referer's host
    bad: (r) => {
      assert.equal(r.status, 403);
      assert.match(r.body, django[0] >= 4 ? /^Origin checking failed - https:\/\/example\.com / : /^Referer checking failed - /);
    },
    good: (r) => assert.equal(r.body, 'posted'),
  },
  {
    code: 'DDX113',
    caseName: 'bad-static-folder',
    bind: 'unix:/run/gunicorn.sock',
    listens: ['443'],
    // collectstatic's output in STATIC_ROOT; nginx looks in the source folder
    files: { '/srv/mysite/staticfiles/css/site.css': 'body { color: #222; }\n' },
    request: { path: '/static/css/site.css' },
    bad: (r) => assert.equal(r.status, 404),
  },
  {
    code: 'DDX113',
    caseName: 'bad-base-dir',
    bind: 'unix:/run/gunicorn.sock',
    listens: ['443'],
    // an upload under MEDIA_ROOT (BASE_DIR / "media", the project deployed in /srv/mysite); the alias lacks its slash
    files: { '/srv/mysite/media/css/site.css': 'uploaded\n' },
    request: { path: '/media/css/site.css' },
    bad: (r) => assert.equal(r.status, 404),
  },
  {
    code: 'DDX114',
    caseName: 'bad-any-host',
    bind: 'unix:/run/gunicorn.sock',
    listens: ['443'],
    // a client's own X-Forwarded-Host: the absolute URL Django builds names its site
    request: { path: '/where', headers: { 'X-Forwarded-Host': 'attacker.example' } },
    bad: (r) => {
      assert.equal(r.status, 200);
      assert.equal(r.body, 'https://attacker.example/');
    },
    good: (r) => assert.equal(r.body, 'https://example.com/'),
  },
];

describe('the loopback lab: nginx in front of gunicorn and Django', () => {
  for (const s of SCENARIOS) {
    it(`${s.code} ${s.caseName}${s.label ? ` (${s.label})` : ''}: fails as the rule says, and works once fixed`, async (t) => {
      if (missing) return t.skip(missing);
      if (s.django) {
        const [major, minor] = s.django;
        const old = django[0] < major || (django[0] === major && django[1] < minor);
        const why = `needs Django ${major}.${minor} or later; the lab's is ${django.join('.')} (${djangoFile}): node test/proxy/setup.mjs unpacks 4.2 from bookworm-backports`;
        if (old && CI) assert.fail(why);
        if (old) return t.skip(why);
        t.diagnostic(`Django ${django.join('.')} (${djangoFile})`);
      }
      const dir = path.join(work, `${s.code}-${s.caseName}${s.label ? `-${s.label.replace(/\W+/g, '-')}` : ''}`);
      mkdirSync(dir);
      chmodSync(dir, 0o755);
      const c = casesOf(s.code).find((x) => x.name === s.caseName)!;
      djangoProject(c.path, dir);
      const listen = new Map<string, number>();
      for (const l of s.listens) listen.set(l, await freePort());
      const p8000 = `127.0.0.1:${await freePort()}`;
      const app: AddressMap = new Map([
        ['127.0.0.1:8000', p8000],
        ['0.0.0.0:8000', p8000],
        ['10.0.0.12:8000', p8000],
        ['127.0.0.1:8001', `127.0.0.1:${await freePort()}`],
        ['unix:/run/gunicorn.sock', `unix:${path.join(dir, 'gunicorn.sock')}`],
        ['/srv/mysite', path.join(dir, 'srv-mysite')],
      ]);
      for (const [file, text] of Object.entries(s.files ?? {})) {
        const at = path.join(dir, 'srv-mysite', path.relative('/srv/mysite', file));
        mkdirSync(path.dirname(at), { recursive: true });
        writeFileSync(at, text);
      }
      const port = listen.get(s.listens[0]!)!;
      const tls = s.listens[0] === '443';
      const site = readFileSync(path.join(c.path, 'deploy/nginx/mysite.conf'), 'utf8');
      const lab = new Lab(dir);
      try {
        await lab.gunicorn(app.get(s.bind)!);
        if (s.bind.startsWith('unix:')) chmodSync(app.get(s.bind)!.slice(5), 0o777);
        await lab.nginx(labSite(site, listen, app, s.proxyFrom), [...listen.values()]);
        s.bad(await request(port, tls, s.request));
        await lab.stop();
        const quick = s.fixed ? undefined : fixedCase(s.code, s.caseName);
        const fixed = labSite(s.fixed ? s.fixed(site) : quick!.site, listen, app, s.proxyFrom);
        const settings = readFileSync(path.join(c.path, 'mysite/settings.py'), 'utf8');
        assert.ok(fixed !== labSite(site, listen, app, s.proxyFrom) || (quick && quick.settings !== settings), 'the fix changes nothing');
        // a fix of the settings (DDX111's): the project runs with them
        if (quick && quick.settings !== settings) djangoProject(c.path, dir, quick.settings);
        const lab2 = new Lab(dir);
        try {
          await lab2.gunicorn(app.get(s.bind)!);
          if (s.bind.startsWith('unix:')) chmodSync(app.get(s.bind)!.slice(5), 0o777);
          await lab2.nginx(fixed, [...listen.values()]);
          const r = await request(port, tls, s.request);
          assert.equal(r.status, 200, `after the fix: ${JSON.stringify(r)}`);
          s.good?.(r);
        } finally {
          await lab2.stop();
        }
      } finally {
        await lab.stop();
      }
    });
  }
});
