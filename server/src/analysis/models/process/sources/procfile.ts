// Procfiles: each process type a process of its own, run by the platform from the Procfile's folder
// (Heroku, Dokku, honcho). A `Procfile.dev` or a `dev`/`test` process type is for development.
import * as path from 'node:path';
import type { ScannedFile } from '../../../files/scan';
import { devReasonOfPath } from '../../../readers/devPaths';
import { parseProcfile } from '../../../readers/process/procfile';
import { tokenize } from '../../../readers/shell';
import type { Collected } from '../collect';
import { addCommands } from '../commandRecords';
import type { ProcessSource } from '../model';

export function readProcfileSource(r: Collected, f: ScannedFile, rel: string): void {
  const text = r.ws.fs.readText(f.path);
  if (text === undefined) return;
  r.containerized = true;
  // (labels and reasons name the file by its path: several Dockerfiles or Procfiles are usual)
  const name = rel.split(path.sep).join('/') || path.basename(f.path);
  const fileDev = devReasonOfPath(rel);
  for (const e of parseProcfile(f.path, text)) {
    const typeDev = devReasonOfPath(e.type);
    const source: ProcessSource = {
      kind: 'procfile',
      file: f.path,
      label: `${name} (${e.type})`,
      production: !fileDev && !typeDev,
      devReason: fileDev ? `${name}: ${fileDev}` : typeDev ? `the process type ${e.type} is for development` : undefined,
      containerized: true,
      workingDir: path.dirname(f.path),
      runDir: path.dirname(f.path),
      env: new Map(),
    };
    addCommands(r, tokenize(e.command), source);
  }
}
