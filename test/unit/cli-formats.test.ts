// The CLI's CI formats as CI systems read them: SARIF valid against the 2.1.0 schema, GitHub
// workflow commands escaped as the runner unescapes them, GitLab Code Quality with fingerprints that
// survive lines moving, JUnit XML, and --output writing one report while printing the text one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';

import { toGithub, toJunit } from '../../server/src/cli/formats';
import type { JsonDiagnostic } from '../../server/src/cli/jsonDiagnostic';
import { CLI, EXAMPLE, REPO } from '../helpers/paths';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const exampleJson = (): JsonDiagnostic[] =>
  (JSON.parse(cli(EXAMPLE, '--format', 'json', '--fail-on', 'never').stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;

function diag(over: Partial<JsonDiagnostic>): JsonDiagnostic {
  return {
    file: 'mysite/settings.py',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 9,
    code: 'DDH107',
    severity: 'error',
    message: 'DEBUG is True',
    django: 'security.W018',
    name: 'debug-enabled',
    project: '.',
    docs: 'https://example.invalid/rules#ddh107',
    ...over,
  };
}

describe('--format sarif', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'test/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    const r = cli(EXAMPLE, '--format', 'sarif', '--fail-on', 'never');
    assert.equal(r.code, 0, r.stderr);
    const sarif = JSON.parse(r.stdout) as { runs: { results: unknown[] }[] };
    assert.ok(sarif.runs[0]!.results.length > 10);
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    // the control: the validator does reject a malformed log
    assert.equal(validate({ version: '2.1.0', runs: [{ results: [] }] }), false);
  });
});

describe('--format github', () => {
  it('one workflow command per finding, with the position and the rule as title', () => {
    const r = cli(EXAMPLE, '--format', 'github', '--fail-on', 'never');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, exampleJson().length);
    for (const l of lines)
      assert.match(l, /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=DD[HG]\d{3} [a-z-]+::\S/);
    assert.ok(
      lines.includes(
        '::error file=mysite/settings.py,line=18,col=9,endLine=18,endColumn=13,title=DDH107 debug-enabled::DEBUG is True in the production settings: set DEBUG = False (or read it from the environment with a False default). (security.W018)',
      ),
    );
  });

  it('escapes what would end the command or forge another', () => {
    const out = toGithub([diag({ file: 'we,ird:dir/settings.py', message: '100% sure\n::error file=x::forged', django: null })]);
    assert.equal(
      out,
      '::error file=we%2Cird%3Adir/settings.py,line=3,col=5,endLine=3,endColumn=9,title=DDH107 debug-enabled::100%25 sure%0A::error file=x::forged\n',
    );
    assert.equal(out.split('\n').length, 2, 'one line');
  });
});

describe('--format gitlab', () => {
  it('Code Quality issues whose fingerprints do not change when lines move', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddh-gitlab-'));
    try {
      fs.cpSync(EXAMPLE, tmp, { recursive: true });
      const run = () =>
        JSON.parse(cli(tmp, '--format', 'gitlab', '--fail-on', 'never').stdout) as {
          fingerprint: string;
          location: { path: string; lines: { begin: number } };
          severity: string;
          check_name: string;
        }[];
      const before = run();
      assert.equal(before.length, exampleJson().length);
      assert.equal(new Set(before.map((i) => i.fingerprint)).size, before.length, 'fingerprints are unique');
      for (const i of before) {
        assert.match(i.fingerprint, /^[0-9a-f]{64}$/);
        assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(i.severity));
      }
      const settings = path.join(tmp, 'mysite/settings.py');
      fs.writeFileSync(settings, `# a comment\n# and another\n${fs.readFileSync(settings, 'utf8')}`);
      const after = run();
      const debugBefore = before.find((i) => i.check_name === 'DDH107')!;
      const debugAfter = after.find((i) => i.check_name === 'DDH107')!;
      assert.equal(debugAfter.location.lines.begin, debugBefore.location.lines.begin + 2, 'the control: the line moved');
      assert.deepEqual(after.map((i) => i.fingerprint).sort(), before.map((i) => i.fingerprint).sort());
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('--format junit', () => {
  it('a suite per project, failures for what fails the run', () => {
    const r = cli(EXAMPLE, '--format', 'junit', '--fail-on', 'error');
    assert.equal(r.code, 1);
    const errors = exampleJson().filter((d) => d.severity === 'error').length;
    assert.match(
      r.stdout,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="django-deploy-check" tests="\d+" failures="(\d+)"/,
    );
    assert.equal(Number(/failures="(\d+)"/.exec(r.stdout)![1]), errors);
    assert.equal((r.stdout.match(/<failure /g) ?? []).length, errors);
    assert.equal((r.stdout.match(/<testcase /g) ?? []).length, exampleJson().length);
    assert.doesNotMatch(r.stdout, /7b\$w9q|hunter2/, 'no secret');
  });

  it('escapes XML and drops characters XML cannot hold', () => {
    const out = toJunit([diag({ message: 'a <b> & "c" \u0001' })], ['.'], () => true);
    assert.match(out, /message="DDH107 a &lt;b&gt; &amp; &quot;c&quot; "/);
    assert.doesNotMatch(out, /\u0001/);
    const empty = toJunit([], ['.', 'blog'], () => true);
    assert.equal((empty.match(/name="no findings"/g) ?? []).length, 2);
    assert.match(empty, /<testsuites name="django-deploy-check" tests="2" failures="0"/);
  });
});

describe('--output FILE', () => {
  it('writes the report to the file and prints the text report', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddh-output-'));
    try {
      const file = path.join(tmp, 'ddh.sarif');
      const r = cli(EXAMPLE, '--format', 'sarif', '--output', file);
      assert.equal(r.code, 1, 'exit code as without --output');
      assert.equal(r.stdout, cli(EXAMPLE).stdout);
      assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version, '2.1.0');
      const bad = cli(EXAMPLE, '--format', 'json', '--output', path.join(tmp, 'missing-dir/x.json'));
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /cannot write/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
