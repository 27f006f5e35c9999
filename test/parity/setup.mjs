#!/usr/bin/env node
// Makes Debian's Python and Django 3.2 (python3-django) available for the parity test
// (test/parity/parity.test.ts), installing them with apt-get when missing, with the Debian helper
// the end-to-end and install tests share (test/helpers/debian.cjs: one dpkg-query call when all is
// present).
//
//   node test/parity/setup.mjs
//
// Under CI=true a failure (not root, apt-get failing) exits 1: the parity test must not be skipped
// there. Elsewhere it says what to run and exits 0; the test then skips with that reason.
import { ensureDebianPackages, missingDebianPackages } from '../helpers/debian.cjs';

// (psycopg2: Django's PostgreSQL backend imports it when check --deploy loads a fixture's DATABASES;
// djangorestframework: the token-API fixtures' URLconfs import rest_framework.routers)
export const PARITY_PACKAGES = ['python3', 'python3-django', 'python3-psycopg2', 'python3-djangorestframework'];

const log = (msg) => process.stdout.write(`[parity-setup] ${msg}\n`);

try {
  if (missingDebianPackages(PARITY_PACKAGES).length === 0) log(`debian packages: all ${PARITY_PACKAGES.length} present`);
  else ensureDebianPackages(PARITY_PACKAGES, { log });
} catch (e) {
  const ci = process.env.CI === 'true';
  process.stderr.write(`[parity-setup] ${ci ? 'ERROR' : 'warning'}: ${e instanceof Error ? e.message : e}\n`);
  if (!ci) process.stderr.write('[parity-setup] the Django parity test will be skipped (it fails instead under CI=true)\n');
  process.exitCode = ci ? 1 : 0;
}
