// systemd units: a service's ExecStart= lines, run on the host with its Environment= in its
// WorkingDirectory=, and its Type= (a forking service is expected to daemonize).
import * as path from 'node:path';
import type { ScannedFile } from '../../../files/scan';
import { devReasonOfPath } from '../../../readers/devPaths';
import { recogniseWords } from '../../../readers/process/commands';
import { parseSystemdService } from '../../../readers/process/systemd';
import type { Collected } from '../collect';
import { addRecognised } from '../commandRecords';
import { envLookup, type EnvValue, type ProcessSource } from '../model';

export function readSystemdSource(r: Collected, f: ScannedFile, rel: string): void {
  const text = r.ws.fs.readText(f.path);
  if (text === undefined) return;
  // (labels and reasons name the file by its path: several Dockerfiles or Procfiles are usual)
  const name = rel.split(path.sep).join('/') || path.basename(f.path);
  const unit = parseSystemdService(f.path, text);
  const fileDev = devReasonOfPath(rel);
  const env = new Map<string, EnvValue>();
  for (const [k, v] of unit.environment) env.set(k, { name: k, value: v.value, token: v.token, nameLoc: v.nameLoc });
  const source: ProcessSource = {
    kind: 'systemd',
    file: f.path,
    label: name,
    production: !fileDev,
    devReason: fileDev ? `${name}: ${fileDev}` : undefined,
    containerized: false,
    runDir: unit.workingDirectory,
    env,
    systemdType: unit.type,
  };
  for (const e of unit.execStart) addRecognised(r, recogniseWords(e.tokens, [], { lookup: envLookup(env) }), source);
}
