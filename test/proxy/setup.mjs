#!/usr/bin/env node
// Makes Debian's nginx (nginx-light), openssl, Caddy, gunicorn and Django available for the proxy
// stage (test/proxy/): the readers' verdicts are checked against `nginx -t` and `caddy adapt`, and
// the loopback lab runs nginx in front of gunicorn and Django. Installed with apt-get when missing,
// with the helper the other stages share (test/helpers/debian.cjs).
//
//   node test/proxy/setup.mjs
//
// Under CI=true a failure (not root, apt-get failing) exits 1: the stage must not be skipped there.
// Elsewhere it says what to run and exits 0; the tests then skip with that reason.
import { ensureDebianPackages, missingDebianPackages } from '../helpers/debian.cjs';

export const PROXY_PACKAGES = ['nginx-light', 'openssl', 'caddy', 'gunicorn', 'python3-django'];

const log = (msg) => process.stdout.write(`[proxy-setup] ${msg}\n`);

try {
  if (missingDebianPackages(PROXY_PACKAGES).length === 0) log(`debian packages: all ${PROXY_PACKAGES.length} present`);
  else ensureDebianPackages(PROXY_PACKAGES, { log });
} catch (e) {
  const ci = process.env.CI === 'true';
  process.stderr.write(`[proxy-setup] ${ci ? 'ERROR' : 'warning'}: ${e instanceof Error ? e.message : e}\n`);
  if (!ci) process.stderr.write('[proxy-setup] the nginx tests will be skipped (they fail instead under CI=true)\n');
  process.exitCode = ci ? 1 : 0;
}
