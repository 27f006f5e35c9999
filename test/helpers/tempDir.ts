// A temporary directory for a test, removed when the test's process exits: the tests that made
// theirs with mkdtempSync and never removed it left about 25 folders under /tmp per run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // (a folder a test made unreadable stays; the run's outcome is not the cleanup's)
    }
  }
});

/** A new directory under the system's temporary folder, named `prefix` and random characters. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
