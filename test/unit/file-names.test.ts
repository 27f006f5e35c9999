// The checklist view's names for deployment files (client/src/fileNames.ts): each tells itself from
// the others by its name and as few folders as it takes (issue 58: five Helm templates named
// deployment.yaml read alike at the default side-bar width).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distinctNames } from '../../client/src/fileNames';

describe('distinctNames', () => {
  it('names files by their name, with the folders that tell two of the same name apart', () => {
    const t = 'kubernetes/katago-server/templates';
    assert.deepEqual(
      distinctNames([`${t}/celery-beat/deployment.yaml`, `${t}/django/deployment.yaml`, `${t}/django/migrate.yaml`, 'Procfile']),
      [
        { name: 'celery-beat/deployment.yaml', folder: t },
        { name: 'django/deployment.yaml', folder: t },
        { name: 'migrate.yaml', folder: `${t}/django` },
        { name: 'Procfile', folder: undefined },
      ],
    );
  });

  it('goes up as far as it takes, and never past the whole path', () => {
    assert.deepEqual(distinctNames(['a/x/Dockerfile', 'b/x/Dockerfile', 'Dockerfile']), [
      { name: 'a/x/Dockerfile', folder: undefined },
      { name: 'b/x/Dockerfile', folder: undefined },
      { name: 'Dockerfile', folder: undefined },
    ]);
  });
});
