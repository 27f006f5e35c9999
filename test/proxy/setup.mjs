#!/usr/bin/env node
// Makes Debian's nginx (nginx-light), openssl, Caddy, gunicorn and Django available for the proxy
// stage (test/proxy/): the readers' verdicts are checked against `nginx -t` and `caddy adapt`, and
// the loopback lab runs nginx in front of gunicorn and Django. Installed with apt-get when missing,
// with the helper the other stages share (test/helpers/debian.cjs).
//
// The lab's Django is 4.2, from Debian's bookworm-backports (python3-django), which checks a form
// post's Origin (DDX115's https post refused as Django sees http; 3.2 checks no Origin). It is not
// installed: the system keeps Debian 12's Django 3.2, which the parity and pydiff stages compare
// against. The .deb is downloaded (apt-get download, after adding the bookworm-backports suite as an
// apt source when none names it, and apt-get update) and unpacked into .cache/debian-backports/
// python3-django/root (git-ignored); the lab puts its dist-packages first on gunicorn's PYTHONPATH
// (its dependencies, python3-asgiref and python3-sqlparse, are bookworm's, installed with Django 3.2).
// A second run finds the folder and does nothing.
//
//   node test/proxy/setup.mjs
//
// Under CI=true a failure (not root, apt-get failing) exits 1: the stage must not be skipped there.
// Elsewhere it says what to run and exits 0; the tests then skip with that reason.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianBackport, ensureDebianPackages, missingDebianPackages } from '../helpers/debian.cjs';

export const PROXY_PACKAGES = ['nginx-light', 'openssl', 'caddy', 'gunicorn', 'python3-django'];
/** The lab's Django: not older than this (the CSRF Origin check came with Django 4.0). */
const LAB_DJANGO = [4, 0];

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const log = (msg) => process.stdout.write(`[proxy-setup] ${msg}\n`);

function fail(e, what) {
  const ci = process.env.CI === 'true';
  process.stderr.write(`[proxy-setup] ${ci ? 'ERROR' : 'warning'}: ${e instanceof Error ? e.message : e}\n`);
  if (!ci) process.stderr.write(`[proxy-setup] ${what}\n`);
  process.exitCode = ci ? 1 : 0;
}

let debian = true;
try {
  if (missingDebianPackages(PROXY_PACKAGES).length === 0) log(`debian packages: all ${PROXY_PACKAGES.length} present`);
  else ensureDebianPackages(PROXY_PACKAGES, { log });
} catch (e) {
  debian = false;
  fail(e, 'the nginx tests will be skipped (they fail instead under CI=true)');
}

if (debian) {
  try {
    const django = debianBackport(repo, 'python3-django', { log });
    const r = spawnSync('/usr/bin/python3', ['-c', 'import django; print(".".join(map(str, django.VERSION[:3])))'], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: django.pythonPath },
    });
    if (r.status !== 0) throw new Error(`the unpacked Django does not import: ${r.stderr.trim().split('\n').pop()}`);
    const version = r.stdout.trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < LAB_DJANGO[0] || (major === LAB_DJANGO[0] && minor < LAB_DJANGO[1]))
      throw new Error(`the unpacked Django is ${version}, older than ${LAB_DJANGO.join('.')} (${django.root})`);
    log(`the lab's Django ${version} (bookworm-backports) in ${django.root}: ${django.present ? 'present' : 'unpacked'}`);
  } catch (e) {
    fail(e, "the lab's case of Django's Origin check will be skipped (it fails instead under CI=true)");
  }
}
