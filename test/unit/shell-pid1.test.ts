// The shells' behaviour DDG324 and catalogue/shellSignals.ts rest on, checked on the real dash and
// bash (both essential packages of Debian, the CI's system): which process runs a script's last command
// (the shell's child, or the shell itself replaced by `exec`), what `sh -c` does with one command,
// and, where a PID namespace can be made (root, `unshare`), what a shell that is PID 1 does with
// SIGTERM: it ignores it, and a TERM trap waits for the foreground command to end. Linux only
// (it reads /proc).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { SCRIPT_LAST_COMMAND_IS_CHILD, SH_C_LAST_COMMAND, imageSh } from '../../server/src/analysis/catalogue/shellSignals';

const linux = process.platform === 'linux';
const has = (prog: string): boolean => linux && spawnSync('sh', ['-c', `command -v ${prog}`]).status === 0;
const SHELLS = ['dash', 'bash'].filter(has);
const dir = linux ? mkdtempSync(path.join(tmpdir(), 'ddh-pid1-')) : '';
const spawned: ChildProcess[] = [];

after(() => {
  for (const c of spawned) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function comm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid` (from /proc/<n>/stat). */
function children(pid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppid === pid) out.push({ pid: Number(name), comm: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function script(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Starts `argv` and, once `sleep` runs, says whether the started process is sleep itself or the shell with sleep as its child. */
async function whoRunsSleep(argv: string[]): Promise<'replaced' | 'child'> {
  const c = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  spawned.push(c);
  try {
    for (let k = 0; k < 100; k++) {
      await sleep(30);
      if (comm(c.pid!) === 'sleep') return 'replaced';
      if (children(c.pid!).some((x) => x.comm === 'sleep')) return 'child';
    }
    throw new Error(`${argv.join(' ')}: sleep never seen`);
  } finally {
    c.kill('SIGKILL');
  }
}

describe('which process runs the last command of a script (dash, bash)', { skip: SHELLS.length === 0 && 'no dash or bash here' }, () => {
  for (const sh of SHELLS) {
    it(`${sh}: a script's last command without exec is the shell's child`, async () => {
      const f = script(`${sh}-last.sh`, 'set -e\ntrue\nsleep 30\n');
      assert.equal(await whoRunsSleep([sh, f]), 'child');
    });
    it(`${sh}: a script's only command without exec is the shell's child too`, async () => {
      const f = script(`${sh}-only.sh`, 'sleep 30\n');
      assert.equal(await whoRunsSleep([sh, f]), 'child');
    });
    it(`${sh}: a last command in an if branch is the shell's child`, async () => {
      const f = script(`${sh}-if.sh`, 'if true; then\n  sleep 30\nfi\n');
      assert.equal(await whoRunsSleep([sh, f]), 'child');
    });
    it(`${sh}: exec replaces the shell (same process)`, async () => {
      const f = script(`${sh}-exec.sh`, 'set -e\ntrue\nexec sleep 30\n');
      assert.equal(await whoRunsSleep([sh, f]), 'replaced');
      const g = script(`${sh}-exec-assign.sh`, 'FOO=1 exec sleep 30\n');
      assert.equal(await whoRunsSleep([sh, g]), 'replaced');
    });
  }
  it('the catalogue says what these tests see', () => {
    assert.equal(SCRIPT_LAST_COMMAND_IS_CHILD.url, 'test/unit/shell-pid1.test.ts');
  });
});

describe('`sh -c` with the command as text (shell-form CMD, compose command strings)', { skip: SHELLS.length === 0 && 'no shells' }, () => {
  // bash replaces itself with the last simple command of a -c string; Debian's dash 0.5.12 does not
  // (so Debian's /bin/sh stays the parent of a shell-form CMD's program)
  it('bash -c: one command, or the last of a list, replaces bash', { skip: !SHELLS.includes('bash') && 'no bash' }, async () => {
    assert.equal(await whoRunsSleep(['bash', '-c', 'sleep 30']), 'replaced');
    assert.equal(await whoRunsSleep(['bash', '-c', 'true; sleep 30']), 'replaced');
    assert.equal(await whoRunsSleep(['bash', '-c', 'true && sleep 30']), 'replaced');
    assert.equal(SH_C_LAST_COMMAND.bash.child, false, 'the catalogue says what bash does');
  });
  it('dash -c: the command is a child of dash (Debian 0.5.12)', { skip: !SHELLS.includes('dash') && 'no dash' }, async () => {
    assert.equal(await whoRunsSleep(['dash', '-c', 'sleep 30']), 'child');
    assert.equal(await whoRunsSleep(['dash', '-c', 'true && sleep 30']), 'child');
    assert.equal(await whoRunsSleep(['dash', '-c', 'true && exec sleep 30']), 'replaced');
    assert.equal(await whoRunsSleep(['dash', '-c', 'exec sleep 30']), 'replaced');
    assert.equal(SH_C_LAST_COMMAND.dash.child, true, 'the catalogue says what dash does');
  });
  it('the images whose /bin/sh is dash (official Debian-family images without an alpine tag)', () => {
    for (const ref of [
      'python:3.12-slim',
      'python:3.11-slim-bookworm',
      'docker.io/library/python:3.13',
      'debian:bookworm',
      'ubuntu:24.04',
      'node:22',
    ])
      assert.equal(imageSh(ref), 'dash', ref);
    for (const ref of ['python:3.12-alpine', 'alpine:3.20', 'ghcr.io/acme/app:1.0', 'python:${PY}-slim', 'myorg/python:3.12'])
      assert.equal(imageSh(ref), undefined, ref);
  });
});

/** A PID namespace can be made here (`unshare -pf` needs root or user namespaces). */
const canUnshare = has('unshare') && spawnSync('unshare', ['-pf', '--kill-child', 'true']).status === 0;

describe('a shell that is PID 1 of its namespace (a container)', {
  skip: (!canUnshare || SHELLS.length === 0) && 'cannot make a PID namespace here',
}, () => {
  /** Runs `sh file` as PID 1 of a new PID namespace; resolves the shell's pid (outside) once its child `sleep` runs. */
  async function asInit(sh: string, file: string): Promise<{ shell: number; proc: ChildProcess }> {
    const proc = spawn('unshare', ['-pf', '--kill-child', sh, file], { stdio: 'ignore' });
    spawned.push(proc);
    for (let k = 0; k < 100; k++) {
      await sleep(30);
      // unshare forks the shell: unshare → shell (PID 1 inside) → sleep
      const shell = children(proc.pid!).find((x) => x.comm === sh || x.comm === path.basename(file));
      if (shell && children(shell.pid).some((x) => x.comm === 'sleep')) return { shell: shell.pid, proc };
    }
    throw new Error('the shell never started sleep');
  }
  for (const sh of SHELLS) {
    it(`${sh} as PID 1 ignores SIGTERM: it and its child keep running`, async () => {
      const f = script(`${sh}-init.sh`, 'sleep 30\n');
      const { shell, proc } = await asInit(sh, f);
      process.kill(shell, 'SIGTERM');
      await sleep(300);
      assert.ok(comm(shell) !== undefined, 'the shell is still there');
      assert.ok(
        children(shell).some((x) => x.comm === 'sleep'),
        'its child still runs',
      );
      proc.kill('SIGKILL');
    });
    it(`${sh} as PID 1 with a TERM trap runs it only after the foreground command ends`, async () => {
      const log = path.join(dir, `${sh}-trap.log`);
      const f = script(`${sh}-trap.sh`, `trap 'echo trapped >> ${log}; exit 0' TERM\nsleep 2\necho after >> ${log}\n`);
      const { shell } = await asInit(sh, f);
      process.kill(shell, 'SIGTERM');
      await sleep(500);
      assert.throws(() => readFileSync(log, 'utf8'), 'the trap has not run while sleep runs');
      for (let k = 0; k < 100 && comm(shell) !== undefined; k++) await sleep(50);
      assert.equal(readFileSync(log, 'utf8'), 'trapped\n');
    });
  }
});
