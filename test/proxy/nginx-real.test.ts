// The nginx reader against nginx itself (issue 33, item 4): every nginx file of the fixtures (the
// reader's own cases in test/fixtures/proxy/nginx/, every nginx file of the proxy rules' cases and
// of the proxy projects)
// is read by the reader and tested by Debian's nginx (`nginx -t`). Both must accept it, or both
// refuse it with the same message on the same line. A file with a top-level `http` or `events` is a
// main configuration; any other is included in the `http` block of a minimal one, as conf.d files
// are. Only the paths of certificates (by a self-signed pair made here) and of included files this
// machine does not have (by an empty file) and the host names of the deployment's own network (a
// compose service an upstream or proxy_pass names) are replaced, since the fixtures name the deployment's.
//
// Needs nginx and openssl (test/proxy/setup.mjs installs them). Without them the test is skipped,
// except under CI=true, where that is a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { composeProxyMounts, isProxyService } from '../../server/src/analysis/models/process/index';
import { parseCompose } from '../../server/src/analysis/readers/container/compose';
import { NodeFileSystem } from '../../server/src/analysis/files/fs';
import { classify } from '../../server/src/analysis/files/scan';
import { PROXY_PARAMS, readProxyModel, UWSGI_PARAMS } from '../../server/src/analysis/readers/proxy/configs';
import { type NginxDirective, parseNginx, walkNginx } from '../../server/src/analysis/readers/proxy/nginx';
import { FIXTURES } from '../helpers/paths';

const NGINX = process.env.DDH_NGINX || '/usr/sbin/nginx';
const CI = process.env.CI === 'true';

/** Whether a file of a rule case is an nginx configuration (by where the model looks for them). */
function isNginxFile(p: string): boolean {
  const name = path.basename(p);
  return name.endsWith('.conf') && !name.endsWith('.py');
}

function nginxFiles(): string[] {
  const out: string[] = [];
  const own = path.join(FIXTURES, 'proxy/nginx');
  for (const n of readdirSync(own).sort()) out.push(path.join(own, n));
  const rules = path.join(FIXTURES, 'rules');
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (isNginxFile(p)) out.push(p);
    }
  };
  for (const code of readdirSync(rules).sort()) if (code.startsWith('DDX')) walk(path.join(rules, code));
  const projects = path.join(FIXTURES, 'projects');
  for (const p of readdirSync(projects).sort()) if (p.startsWith('proxy')) walk(path.join(projects, p));
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

interface Verdict {
  readonly ok: boolean;
  readonly message?: string;
  readonly line?: number;
}

let work = '';
let missing: string | undefined;

before(() => {
  if (!existsSync(NGINX)) missing = `${NGINX} is missing (node test/proxy/setup.mjs installs it)`;
  else if (spawnSync('openssl', ['version']).status !== 0) missing = 'openssl is missing (node test/proxy/setup.mjs installs it)';
  if (missing) {
    if (CI) assert.fail(missing);
    return;
  }
  work = mkdtempSync(path.join(tmpdir(), 'ddh-nginx-'));
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
  writeFileSync(path.join(work, 'empty.conf'), '');
  for (const f of ['mime.types', 'proxy_params', 'uwsgi_params'])
    if (existsSync(`/etc/nginx/${f}`)) symlinkSync(`/etc/nginx/${f}`, path.join(work, f));
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * The file with its certificate paths replaced by the test's pair, and the includes this machine
 * lacks by an empty file (read with the reader; the text as it is when it cannot read it).
 */
function withTestCertificates(file: string, text: string): string {
  const parsed = parseNginx(file, text);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const d of walkNginx(parsed.directives)) {
    if ((d.name === 'ssl_certificate' || d.name === 'ssl_certificate_key') && d.args[0])
      edits.push({ ...d.args[0].loc, text: path.join(work, d.name === 'ssl_certificate' ? 'cert.pem' : 'key.pem') });
    const inc = d.name === 'include' ? d.args[0] : undefined;
    if (inc && !/[*?]/.test(inc.text) && !existsSync(path.resolve(work, inc.text)))
      edits.push({ ...inc.loc, text: path.join(work, 'empty.conf') });
    // a host of the deployment's own network (a compose service: `web-dev:8000`, `http://backend:8000`)
    // or of the internet (`https://site.example-host.net`) that this machine, without a network,
    // cannot resolve: nginx -t looks it up, so it is this machine here
    const target = d.name === 'proxy_pass' || d.name === 'uwsgi_pass' ? d.args[0] : d.name === 'server' && !d.block ? d.args[0] : undefined;
    const at = target ? (target.text.includes('://') ? target.text.indexOf('://') + 3 : 0) : 0;
    const host = target ? /^([a-z][a-z0-9_.-]*)(?=[:/;]|$)/.exec(target.text.slice(at)) : null;
    if (target && host && host[1] !== 'localhost' && host[1] !== 'unix' && !upstreamNames(parsed.directives).has(host[1]!))
      edits.push({ ...target.loc, text: `${target.text.slice(0, at)}127.0.0.1${target.text.slice(at + host[1]!.length)}` });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The names of a configuration's upstream blocks (a proxy_pass naming one resolves to it). */
function upstreamNames(directives: readonly NginxDirective[]): Set<string> {
  const out = new Set<string>();
  for (const d of walkNginx(directives)) if (d.name === 'upstream' && d.args[0]) out.add(d.args[0].text);
  return out;
}

function nginxVerdict(file: string, text: string): Verdict {
  const copy = path.join(work, `case-${path.basename(file)}`);
  writeFileSync(copy, withTestCertificates(file, text));
  const top = parseNginx(file, text).directives.map((d) => d.name);
  const isMain = top.includes('http') || top.includes('events');
  const main = isMain ? copy : path.join(work, 'main.conf');
  if (!isMain) writeFileSync(main, `events {}\nhttp {\n    include ${copy};\n}\n`);
  const r = spawnSync(NGINX, ['-t', '-q', '-p', work, '-e', 'stderr', '-c', main, '-g', `pid ${path.join(work, 'nginx.pid')};`], {
    encoding: 'utf8',
  });
  if (r.status === 0) return { ok: true };
  // nginx: [emerg] unexpected "}" in /tmp/…/case-x.conf:4
  const m = /\[emerg\] (?:\d+#\d+: )?(.*) in (\S+):(\d+)/.exec(r.stderr);
  assert.ok(m, `nginx failed without a located error: ${r.stderr}`);
  assert.equal(m[2], copy, `nginx's error is in another file than the case: ${r.stderr}`);
  return { ok: false, message: m[1], line: Number(m[3]) };
}

function readerVerdict(file: string, text: string): Verdict {
  const parsed = parseNginx(file, text);
  const e = parsed.errors[0];
  if (!e) return { ok: true };
  return { ok: false, message: e.message, line: lineOf(text, e.loc.start) };
}

describe('the nginx reader agrees with nginx -t', () => {
  const files = nginxFiles();
  const tally = { agreed: 0, accepted: 0, refused: 0 };
  it('has cases both ways', () => {
    assert.ok(files.some((f) => path.basename(f).startsWith('valid')));
    assert.ok(files.some((f) => path.basename(f).startsWith('invalid')));
  });
  for (const file of files) {
    it(path.relative(FIXTURES, file), (t) => {
      if (missing) return t.skip(missing);
      const text = readFileSync(file, 'utf8');
      const real = nginxVerdict(file, text);
      const ours = readerVerdict(file, text);
      assert.deepEqual(ours, real, `the reader says ${JSON.stringify(ours)}, nginx -t says ${JSON.stringify(real)}`);
      // the reader's own cases say which way they go
      const name = path.basename(file);
      if (name.startsWith('valid')) assert.equal(real.ok, true, 'a valid-* case nginx refuses');
      if (name.startsWith('invalid')) assert.equal(real.ok, false, 'an invalid-* case nginx accepts');
      tally.agreed++;
      if (real.ok) tally.accepted++;
      else tally.refused++;
    });
  }
  after(() => {
    if (!missing)
      process.stdout.write(
        `# nginx -t differential: ${files.length} files, ${tally.agreed} agreed (${tally.accepted} accepted, ${tally.refused} refused by both)\n`,
      );
  });
});

/** The rule cases (folders) with a compose file whose nginx service mounts files of the case. */
function mountedCases(): string[] {
  const out: string[] = [];
  const rules = path.join(FIXTURES, 'rules');
  for (const code of readdirSync(rules).sort())
    for (const n of readdirSync(path.join(rules, code)).sort()) {
      const dir = path.join(rules, code, n);
      if (statSync(dir).isDirectory() && existsSync(path.join(dir, 'docker-compose.yml'))) {
        const c = parseCompose(path.join(dir, 'docker-compose.yml'), readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8'));
        if (c.services.some((x) => isProxyService(x) && /nginx/i.test(x.image ?? x.name) && x.volumes.length > 0)) out.push(dir);
      }
    }
  return out;
}

function walkFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walkFiles(p) : [p];
  });
}

// The model maps an include through the volumes of the compose service running nginx (a relative
// path from nginx's prefix, /etc/nginx). Each case's container is laid out here (every mount copied
// to its container path under a folder of the test, /etc/nginx rewritten to it), nginx reads it from
// the image's main file (`include /etc/nginx/conf.d/*.conf` in http) and lists the files it read
// (`nginx -T`): those of the case must be the files the model read for its configurations.
describe("the stock files the model knows hold what it says (Debian's /etc/nginx)", () => {
  /** The directives of a stock file as nginx reads them: name and arguments, one per line. */
  const directives = (file: string): string[] =>
    [...walkNginx(parseNginx(file, readFileSync(file, 'utf8')).directives)].map((d) => [d.name, ...d.args.map((a) => a.text)].join(' '));
  it('proxy_params', (t) => {
    if (missing || !existsSync('/etc/nginx/proxy_params')) return t.skip(missing ?? 'no /etc/nginx/proxy_params');
    const stock = directives('/etc/nginx/proxy_params');
    for (const [h, v] of PROXY_PARAMS) {
      // Debian's 2026 security update of its nginx packages sends `Host $host` (the client's host
      // name without the port it wrote) where older packages send `$http_host`: both pass the host
      // name the rules ask about, and servers run both
      const forms = h === 'Host' ? [`proxy_set_header Host $http_host`, `proxy_set_header Host $host`] : [`proxy_set_header ${h} ${v}`];
      assert.ok(
        forms.some((f) => stock.includes(f)),
        `${h} ${v}: ${stock.join('; ')}`,
      );
    }
  });
  it('uwsgi_params', (t) => {
    if (missing || !existsSync('/etc/nginx/uwsgi_params')) return t.skip(missing ?? 'no /etc/nginx/uwsgi_params');
    const stock = directives('/etc/nginx/uwsgi_params');
    for (const args of UWSGI_PARAMS) assert.ok(stock.includes(`uwsgi_param ${args.join(' ')}`), `${args.join(' ')}: ${stock.join('; ')}`);
  });
});

describe('the includes the model follows through compose volumes are the files nginx reads', () => {
  const cases = mountedCases();
  it('has cases', () => assert.ok(cases.length > 0));
  for (const dir of cases)
    it(path.relative(FIXTURES, dir), (t) => {
      if (missing) return t.skip(missing);
      const composeFile = path.join(dir, 'docker-compose.yml');
      const compose = parseCompose(composeFile, readFileSync(composeFile, 'utf8'));
      const mounts = compose.services.filter(isProxyService).flatMap((x) => composeProxyMounts(x, dir, x.name));
      const files = walkFiles(dir)
        .map((p) => ({ path: p, rel: path.relative(dir, p).split(path.sep).join('/') }))
        // (as the process model hands them over: passes/proxies.ts, which also reads a file a proxy
        // service mounts where nginx reads its configuration, whatever its name)
        .filter(
          (f) =>
            classify(f.rel) === 'proxy' ||
            (classify(f.rel) === 'config' && path.basename(f.rel) === 'nginx.conf') ||
            mounts.some((m) => m.host === f.path && m.container.startsWith('/etc/nginx/')),
        );
      const model = readProxyModel(new NodeFileSystem(), dir, files, mounts);
      const mounted = (f: string): boolean => mounts.some((m) => m.host === f || f.startsWith(m.host + path.sep));
      const ours = new Set(model.nginx.filter((c) => mounted(c.file)).flatMap((c) => c.files));

      const box = mkdtempSync(path.join(work, 'container-'));
      const back = new Map<string, string>();
      for (const m of mounts) {
        const dest = path.join(box, m.container);
        mkdirSync(path.dirname(dest), { recursive: true });
        cpSync(m.host, dest, { recursive: true });
        for (const f of statSync(m.host).isDirectory() ? walkFiles(m.host) : [m.host])
          back.set(statSync(m.host).isDirectory() ? path.join(dest, path.relative(m.host, f)) : dest, f);
      }
      // compose's service names resolve only inside compose's network: here they are this machine
      const local = (text: string): string =>
        compose.services.reduce(
          (t, x) => t.replaceAll(`http://${x.name}:`, 'http://127.0.0.1:'),
          text.replaceAll('/etc/nginx/', `${box}/etc/nginx/`),
        );
      for (const copy of back.keys()) writeFileSync(copy, local(readFileSync(copy, 'utf8')));
      for (const copy of back.keys()) writeFileSync(copy, withTestCertificates(copy, readFileSync(copy, 'utf8')));
      // nginx's main file mounted over the image's (`./nginx.conf:/etc/nginx/nginx.conf`) is the one it
      // starts from; else the image's, which includes conf.d/*.conf
      const mountedMain = mounts.some((m) => m.container === '/etc/nginx/nginx.conf');
      const main = mountedMain ? path.join(box, 'etc/nginx/nginx.conf') : path.join(box, 'nginx.conf');
      if (!mountedMain) writeFileSync(main, `events {}\nhttp {\n    include ${box}/etc/nginx/conf.d/*.conf;\n}\n`);
      const r = spawnSync(NGINX, ['-T', '-p', box, '-e', 'stderr', '-c', main, '-g', `pid ${path.join(box, 'nginx.pid')};`], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const read = new Set<string>();
      for (const line of r.stdout.split('\n')) {
        const m = /^# configuration file (.+):$/.exec(line);
        const host = m ? back.get(m[1]!) : undefined;
        if (host) read.add(host);
      }
      assert.ok(read.size > 0, 'nginx read no file of the case');
      assert.deepEqual([...ours].sort(), [...read].sort());
    });
});
