// A reverse proxy's own configuration file among the project's files (nginx.conf, a Caddyfile):
// evidence that a proxy sits in front of the app. (The proxy folders and the nginx configurations
// themselves are read after all the sources, by passes/proxies.ts.)
import * as path from 'node:path';
import type { ScannedFile } from '../../../files/scan';
import type { Collected } from '../collect';

export function readProxyConfigSource(r: Collected, f: ScannedFile, rel: string): void {
  const name = path.basename(f.path);
  if (name === 'nginx.conf' || name === 'Caddyfile') r.proxies.push({ label: rel, loc: { file: f.path, start: 0, end: 0 } });
}
