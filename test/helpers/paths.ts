// Where the repository and the built bundles are (injected by scripts/build.mjs --tests, so that a
// build in another folder, DDH_BUILD_DIR, still finds them).
import * as path from 'node:path';

declare const DDH_TEST_REPO: string;
declare const DDH_TEST_DIST: string;

export const REPO = DDH_TEST_REPO;
export const DIST = DDH_TEST_DIST;
export const CLI = path.join(DIST, 'cli.js');
export const SERVER = path.join(DIST, 'server.js');
export const FIXTURES = path.join(REPO, 'test/fixtures');
export const EXAMPLE = path.join(REPO, 'examples/mysite');
