#!/usr/bin/env node
// Makes Debian's Python and the Django libraries Debian 12 packages available for the differential
// test against the real libraries (test/libdiff/libdiff.test.ts), installing them with apt-get when
// missing (test/helpers/debian.cjs, as the parity and pydiff stages do). Under CI=true a failure
// exits 1; elsewhere it says what to run and the test skips.
//
// Debian 12's versions: WhiteNoise 6.0.0, django-cors-headers 3.14.0, django-csp 3.7 (not 4: the
// catalogue cites 4.x's source), pydantic 1.10.4 (its BaseSettings; pydantic-settings 2 is cited),
// dynaconf 3.1.7, django-axes 5.39.0, django-storages 1.13.2 (Debian ships its S3 backends apart,
// in python3-django-storages-boto3; not its Google Cloud or Azure ones).
import { ensureDebianPackages, missingDebianPackages } from '../helpers/debian.cjs';

export const LIBDIFF_PACKAGES = [
  'python3',
  'python3-django',
  'python3-whitenoise',
  'python3-django-cors-headers',
  'python3-django-csp',
  'python3-pydantic',
  'python3-dynaconf',
  'python3-django-axes',
  'python3-django-storages',
  // its S3 backends (storages.backends.s3boto3) and python3-boto3
  'python3-django-storages-boto3',
];

const log = (msg) => process.stdout.write(`[libdiff-setup] ${msg}\n`);

try {
  if (missingDebianPackages(LIBDIFF_PACKAGES).length === 0) log(`debian packages: all ${LIBDIFF_PACKAGES.length} present`);
  else ensureDebianPackages(LIBDIFF_PACKAGES, { log });
} catch (e) {
  const ci = process.env.CI === 'true';
  process.stderr.write(`[libdiff-setup] ${ci ? 'ERROR' : 'warning'}: ${e instanceof Error ? e.message : e}\n`);
  if (!ci) process.stderr.write('[libdiff-setup] the differential test will be skipped (it fails instead under CI=true)\n');
  process.exitCode = ci ? 1 : 0;
}
