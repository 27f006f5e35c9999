import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { devReasonOfHeader, devReasonOfPath } from '../../server/src/analysis/readers/devPaths';

describe('a file whose opening comment says it is for tests or CI', () => {
  it('is told by its opening comment', () => {
    assert.equal(
      devReasonOfHeader('# Docker-compose file for testing via Github Actions\nservices:\n'),
      'its opening comment says it is for GitHub Actions',
    );
    assert.equal(devReasonOfHeader('---\n# used by CI only\n\nservices: {}\n'), 'its opening comment says it is for CI');
    assert.equal(devReasonOfHeader('# Compose for running the tests\nservices: {}\n'), 'its opening comment says it is for tests');
  });
  it('is told by "only for tests" even where the comment names production images, after `version:` when it names the compose file', () => {
    assert.equal(
      devReasonOfHeader(
        'version: "3"\n\n# Note: this container-compose is only for test latest image built\n# from development branch and prod image built from released version.\n\nservices: {}\n',
      ),
      'its opening comment says it is for tests',
    );
    assert.equal(devReasonOfHeader('# Production images, for testing only\nservices: {}\n'), 'its opening comment says it is for tests');
    // …not a production file that is not only for tests
    assert.equal(devReasonOfHeader('# Production stack; only for the main site, tested in CI\nservices: {}\n'), undefined);
  });
  it('says nothing when the comment names production too, comes later, or names no test', () => {
    assert.equal(devReasonOfHeader('# Production stack, tested in CI\nservices: {}\n'), undefined);
    assert.equal(devReasonOfHeader('services:\n  # for testing\n  web: {}\n'), undefined);
    assert.equal(devReasonOfHeader('# The stack behind the load balancer\nservices: {}\n'), undefined);
    assert.equal(devReasonOfHeader('# contest entries app\nservices: {}\n'), undefined);
  });
});

describe('a file whose opening comment says it is for development or an example', () => {
  it('is told by the words dev, development and example', () => {
    assert.equal(devReasonOfHeader('# Local development stack\nservices: {}\n'), 'its opening comment says it is for development');
    assert.equal(devReasonOfHeader('# An example stack to try the image\nservices: {}\n'), 'its opening comment says it is an example');
    assert.equal(devReasonOfHeader('# A dev / testing / example stack\nservices: {}\n'), 'its opening comment says it is for tests');
  });
  it('reads a comment after `version:` and `services:` only when it speaks of the file', () => {
    assert.equal(
      devReasonOfHeader("version: '3'\nservices:\n  # An example compose file for trying the image\n  app: {}\n"),
      'its opening comment says it is an example',
    );
    assert.equal(devReasonOfHeader('services:\n  # the dev tools sidecar\n  tools: {}\n'), undefined);
  });
  it('says nothing when the comment names production or a deployment', () => {
    assert.equal(devReasonOfHeader('# Example of a production deployment\nservices: {}\n'), undefined);
  });
});

describe('a path named for CI or in a documentation folder', () => {
  it('is told by the Travis CI or end-to-end word in its name, not by the folder of a CI configuration', () => {
    assert.equal(devReasonOfPath('deploy/docker-compose.travis.yml'), 'its name says "travis"');
    assert.equal(devReasonOfPath('docker-compose.e2e.yml'), 'its name says "e2e"');
    // the test tool's name (SecObserve: docker-compose-playwright.yml, docker/backend/unittests/django/entrypoint)
    assert.equal(devReasonOfPath('docker-compose-playwright.yml'), 'its name says "playwright"');
    assert.equal(devReasonOfPath('docker/backend/unittests/django/entrypoint'), 'it is in a "unittests" folder');
    assert.equal(devReasonOfPath('compose/cypress.yml'), 'its name says "cypress"');
    assert.equal(devReasonOfPath('.circleci/config.yml'), undefined);
  });
  it('is in a folder of what the project no longer runs, whatever production word follows it', () => {
    assert.equal(devReasonOfPath('legacy/compose/production/django/start'), 'it is in a "legacy" folder (what the project no longer runs)');
    assert.equal(devReasonOfPath('deploy/deprecated/gunicorn.conf.py'), 'it is in a "deprecated" folder (what the project no longer runs)');
    // a file named so is not a folder of them
    assert.equal(devReasonOfPath('compose/production/django/legacy'), undefined);
  });
  it('is told by a CI or test word in its name even beside a production word: the file tests production images in CI', () => {
    assert.equal(devReasonOfPath('docker-compose.ci.prod.images.yaml'), 'its name says "ci"');
    assert.equal(devReasonOfPath('compose/production-tests.yml'), 'its name says "tests"');
    // …and a production name without one is production's
    assert.equal(devReasonOfPath('deploy/prod/docker-compose.yml'), undefined);
    assert.equal(devReasonOfPath('docker-compose.prod.yml'), undefined);
  });
  it('is an example when a folder of its path is docs or documentation', () => {
    assert.equal(devReasonOfPath('docs/install/supervisor.conf'), 'it is in a "docs" folder (documentation: an example)');
    assert.equal(devReasonOfPath('documentation/gunicorn.conf.py'), 'it is in a "documentation" folder (documentation: an example)');
    assert.equal(devReasonOfPath('deploy/docs.yml'), undefined);
  });
  it('is load-test tooling when a folder or its name says load test, locust or benchmark', () => {
    assert.equal(devReasonOfPath('loadtest/locust/Dockerfile'), 'it is in a "loadtest" folder');
    assert.equal(devReasonOfPath('tools/locust/Dockerfile'), 'it is in a "locust" folder');
    assert.equal(devReasonOfPath('load-test/mock/Dockerfile'), 'it is in a "load-test" folder');
    assert.equal(devReasonOfPath('benchmarks/docker-compose.yml'), 'it is in a "benchmarks" folder');
    assert.equal(devReasonOfPath('deploy/locust-production.yml'), undefined);
  });
});
