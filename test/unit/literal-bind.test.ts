// The literal read of a gunicorn config module's bind (readers/python/literalBind.ts), which ties an
// nginx above the analysed folder to the gunicorn a systemd unit starts with --config before the
// grammar is loaded (models/project/fronting.ts). Each text it reads is also run by python3, when
// present, and the value gunicorn would take (a string is one address, a list or tuple its items)
// compared.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { literalBind } from '../../server/src/analysis/readers/python/literalBind';

const READ: readonly (readonly [string, readonly string[]])[] = [
  ["bind = '127.0.0.1:8001'\nworkers = 5\n", ['127.0.0.1:8001']],
  ['bind = "unix:/run/app.sock"\n', ['unix:/run/app.sock']],
  ["bind = ['unix:/run/app.sock', '127.0.0.1:8001',]\n", ['unix:/run/app.sock', '127.0.0.1:8001']],
  ["bind = ('127.0.0.1:8001')\n", ['127.0.0.1:8001']],
  ["bind = (\n    '127.0.0.1:'\n    '8001',\n)\n", ['127.0.0.1:8001']],
  ["bind: str = r'127.0.0.1:8001'  # loopback only\n", ['127.0.0.1:8001']],
  ["bind = '0.0.0.0:80'\nbind = '127.0.0.1:8001'\n", ['127.0.0.1:8001']],
  ["'''\nbind = '0.0.0.0:80'\n'''\nbind = '127.0.0.1:8001'\n", ['127.0.0.1:8001']],
  [
    "x = 1; y = 2\nbind = '127.0.0.1:8001'\ndef on_starting(server):\n    server.log.info(server.cfg.bind)\n_ = dict(bind='x')\n",
    ['127.0.0.1:8001'],
  ],
  ["workers = \\\n  4\nbind = '127.0.0.1:8001'\n", ['127.0.0.1:8001']],
];

const UNKNOWN: readonly string[] = [
  'workers = 5\n',
  "import os\nbind = os.environ.get('BIND', '127.0.0.1:8001')\n",
  "bind = f'127.0.0.1:{8001}'\n",
  "bind = '127.0.0.1:' + '8001'\n",
  "bind = '127.0.0.1:8001'\nif True:\n    bind = '0.0.0.0:80'\n",
  "bind = '127.0.0.1:8001'\nbind += ['0.0.0.0:80']\n",
  "bind = '127.0.0.1:8001'\nfrom local_gunicorn import *\n",
  "bind = port = '127.0.0.1:8001'\n",
  "bind = '127.0.0.1:8001'; workers = 2\n",
  "bind = '127.0.0.1:8001'\nglobals()['bind'] = '0.0.0.0:80'\n",
  "bind = '127.0.0.1:8001'\ndef when_ready(server):\n    global bind\n    bind = '0.0.0.0:80'\n",
  "bind = '127.0.0.1:8001\n",
  "bind = ['127.0.0.1:8001', PORT]\n",
  "bind = '127.0.0.1:\\x38001'\n",
];

describe('a gunicorn config module’s bind read from its text', () => {
  it('a top-level assignment of plain string literals, the last one, whatever else the module holds', () => {
    for (const [text, want] of READ) assert.deepEqual(literalBind(text), want, text);
  });

  it('unknown where the module sets none, computes it, or may change it elsewhere', () => {
    for (const text of UNKNOWN) assert.equal(literalBind(text), undefined, text);
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  it('what python3 binds, running the same modules', { skip: !python && 'python3 is absent' }, () => {
    const script =
      'import json, sys\nout = []\nfor t in json.load(sys.stdin):\n    ns = {}\n    exec(t, ns)\n    b = ns["bind"]\n    out.append([b] if isinstance(b, str) else list(b))\nprint(json.dumps(out))\n';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(READ.map(([t]) => t)), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout),
      READ.map(([, want]) => want),
    );
  });
});
