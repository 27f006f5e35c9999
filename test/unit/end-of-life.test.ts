// The end-of-life catalogue: image tags read as the official images write them, dates compared
// with the day of the analysis (pinned here, so that the tests do not change with the calendar).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { analysisDay, fixAnalysisDay } from '../../server/src/analysis/base/clock';
import { ALPINE_EOL, baseImageReleases, DJANGO_EOL, endedBy, lastDay, PYTHON_EOL } from '../../server/src/analysis/catalogue/endOfLife';

describe('end of life', () => {
  after(() => fixAnalysisDay(undefined));

  it('reads the releases an image tag names', () => {
    assert.deepEqual(baseImageReleases('python:3.8-slim-buster'), { python: '3.8', debian: 'buster' });
    assert.deepEqual(baseImageReleases('docker.io/library/python:3.10.14-bullseye'), { python: '3.10', debian: 'bullseye' });
    assert.deepEqual(baseImageReleases('python:alpine3.14'), { alpine: '3.14' });
    assert.deepEqual(baseImageReleases('python:3.9-alpine3.13@sha256:abc'), { python: '3.9', alpine: '3.13' });
    assert.deepEqual(baseImageReleases('debian:10-slim'), { debian: 'buster' });
    assert.deepEqual(baseImageReleases('ubuntu:focal'), { ubuntu: '20.04' });
    assert.deepEqual(baseImageReleases('python:${PYTHON_VERSION}-slim'), {});
    assert.deepEqual(baseImageReleases('python'), {});
  });

  it('a month given alone lasts to its last day', () => {
    assert.equal(lastDay('2026-04'), '2026-04-30');
    assert.equal(lastDay('2028-02'), '2028-02-29');
    assert.equal(lastDay('2025-10-31'), '2025-10-31');
  });

  it('compares with the day of the analysis', () => {
    fixAnalysisDay('2026-04-30');
    assert.equal(analysisDay(), '2026-04-30');
    assert.equal(endedBy(DJANGO_EOL, '4.2', analysisDay()), undefined);
    fixAnalysisDay('2026-05-01');
    assert.equal(endedBy(DJANGO_EOL, '4.2', analysisDay())?.until, '2026-04');
    assert.equal(endedBy(PYTHON_EOL, '3.12', analysisDay()), undefined);
    assert.equal(endedBy(ALPINE_EOL, '3.14', analysisDay())?.until, '2023-05-01');
    // a release the table does not know is never past its end
    assert.equal(endedBy(DJANGO_EOL, '9.9', analysisDay()), undefined);
  });
});
