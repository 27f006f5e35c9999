// Shell scripts (entrypoint.sh, start.sh, bin/web): the commands a script runs, each with the
// variables the script has set and exported before it (`export GUNICORN_CMD_ARGS=…`).
import * as path from 'node:path';
import type { ScannedFile } from '../../../files/scan';
import { devReasonOfPath } from '../../../readers/devPaths';
import { recognise } from '../../../readers/process/commands';
import { tokenize } from '../../../readers/shell';
import { MappedText } from '../../../readers/text';
import type { Collected } from '../collect';
import { addRecognised } from '../commandRecords';
import { shellChildren } from '../shellChildren';
import type { EnvValue, ProcessSource } from '../model';

export function readShellSource(r: Collected, f: ScannedFile, rel: string): void {
  const text = r.ws.fs.readText(f.path);
  if (text === undefined) return;
  // (labels and reasons name the file by its path: several Dockerfiles or Procfiles are usual)
  const name = rel.split(path.sep).join('/') || path.basename(f.path);
  const fileDev = devReasonOfPath(rel);
  const env = new Map<string, EnvValue>();
  const source: ProcessSource = {
    kind: 'shell',
    file: f.path,
    label: name,
    production: !fileDev,
    devReason: fileDev ? `${name}: ${fileDev}` : undefined,
    containerized: false,
    env,
  };
  // variables the script sets before starting the server (`export GUNICORN_CMD_ARGS=…`)
  const lookup = (n: string): string | undefined => env.get(n)?.value;
  const commands = tokenize(MappedText.slice(f.path, text), { lookup });
  r.out.shellChildren.push(...shellChildren(commands, source));
  for (const c of commands) {
    if (c.words.length === 0 && !c.conditional) {
      for (const a of c.assignments) env.set(a.name, { name: a.name, value: a.value.text, token: a.value, nameLoc: a.token.loc });
      continue;
    }
    if ((c.words[0]?.text === 'export' || c.words[0]?.text === 'declare') && !c.conditional) {
      for (const w of c.words.slice(1)) {
        const eq = w.text.indexOf('=');
        if (eq > 0 && /^[A-Za-z_]\w*$/.test(w.text.slice(0, eq))) {
          const map = w.map.sub(eq + 1, w.text.length);
          env.set(w.text.slice(0, eq), {
            name: w.text.slice(0, eq),
            value: map.text,
            token: { ...w, text: map.text, map, loc: map.length > 0 ? map.loc(0, map.length) : w.loc },
            nameLoc: w.map.loc(0, eq),
          });
        }
      }
      continue;
    }
    addRecognised(r, recognise(c, { lookup }), { ...source, env: new Map(env) });
  }
}
