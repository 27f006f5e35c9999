// Whether the repository is deployed with Dokku: a file only Dokku reads (catalogue DOKKU_FILES: an
// app.json with `scripts.dokku`, CHECKS, DOKKU_SCALE, nginx.conf.sigil) beside a Procfile or an
// app.json of the project. The request path then puts Dokku's nginx, not Heroku's router, in front
// of that folder's Procfile and app.json (models/requestPath/path.ts).
import * as path from 'node:path';
import { DOKKU_FILES } from '../../catalogue/hops';
import type { Collected } from './collect';
import type { DokkuSign } from './model';

/** The folders whose Procfile or app.json Dokku deploys, each with the file that shows it. */
export function dokkuSigns(r: Collected): DokkuSign[] {
  const fs = r.ws.fs;
  const dirs = new Set<string>();
  for (const f of r.project.files) {
    const name = path.basename(f.path);
    if (f.kind === 'procfile' || name === 'app.json') dirs.add(path.dirname(f.path));
  }
  const out: DokkuSign[] = [];
  for (const dir of [...dirs].sort()) {
    const appJson = path.join(dir, 'app.json');
    const text = fs.readText(appJson);
    let scripts: unknown;
    if (text !== undefined) {
      try {
        scripts = (JSON.parse(text) as { scripts?: unknown } | null)?.scripts;
      } catch {
        scripts = undefined;
      }
    }
    if (scripts && typeof scripts === 'object' && DOKKU_FILES.value.appJsonKey in scripts) {
      out.push({ file: appJson, dir, why: 'its scripts.dokku' });
      continue;
    }
    const found = DOKKU_FILES.value.files.map((n) => path.join(dir, n)).find((f) => fs.exists(f) && !fs.isDirectory(f));
    if (found) out.push({ file: found, dir, why: `${path.basename(found)}, which only Dokku reads` });
  }
  return out;
}
