#!/usr/bin/env node
// Makes Debian's Python, Django 3.2 and the environment libraries Debian 12 packages available for
// the differential test (test/pydiff/pydiff.test.ts), installing them with apt-get when missing
// (test/helpers/debian.cjs, as the parity stage does). Under CI=true a failure exits 1; elsewhere
// it says what to run and the test skips.
//
// Debian 12's versions, older than today's releases: django-environ 0.4.4 (today 0.12), python-decouple
// 3.6 (3.8), dj-database-url 0.5.0 (2.x: no conn_health_checks, no DISABLE_SERVER_SIDE_CURSORS key),
// django-split-settings 1.1.0 (1.3).
import { ensureDebianPackages, missingDebianPackages } from '../helpers/debian.cjs';

export const PYDIFF_PACKAGES = [
  'python3',
  'python3-django',
  'python3-django-environ',
  'python3-decouple',
  'python3-dj-database-url',
  'python3-django-split-settings',
];

const log = (msg) => process.stdout.write(`[pydiff-setup] ${msg}\n`);

try {
  if (missingDebianPackages(PYDIFF_PACKAGES).length === 0) log(`debian packages: all ${PYDIFF_PACKAGES.length} present`);
  else ensureDebianPackages(PYDIFF_PACKAGES, { log });
} catch (e) {
  const ci = process.env.CI === 'true';
  process.stderr.write(`[pydiff-setup] ${ci ? 'ERROR' : 'warning'}: ${e instanceof Error ? e.message : e}\n`);
  if (!ci) process.stderr.write('[pydiff-setup] the differential test will be skipped (it fails instead under CI=true)\n');
  process.exitCode = ci ? 1 : 0;
}
