// The nginx configuration a ConfigMap holds: the values of its `data:` that read as nginx (a
// `default.conf` mounted at /etc/nginx/conf.d, an `nginx.conf`), each parsed as its own file. The
// words' places are offsets in the value, not in the manifest: callers judge what the configuration
// does, and place findings elsewhere.
import { looksLikeNginx } from '../proxy/configs';
import { type NginxFile, parseNginx } from '../proxy/nginx';
import { parseYamlDocuments, yget, yscalar } from '../yaml';

/** The nginx files among the data of the ConfigMap `name` in the manifest `text` (none when it holds none, or any fails to parse). */
export function configMapNginx(file: string, text: string, name: string): NginxFile[] {
  const out: NginxFile[] = [];
  for (const doc of parseYamlDocuments(file, text).documents) {
    if (yscalar(yget(doc, 'kind'))?.value !== 'ConfigMap') continue;
    if (yscalar(yget(yget(doc, 'metadata'), 'name'))?.value !== name) continue;
    const data = yget(doc, 'data');
    if (data?.kind !== 'map') continue;
    for (const e of data.entries) {
      const value = yscalar(e.value)?.value;
      if (!value || !looksLikeNginx(value)) continue;
      const parsed = parseNginx(`${file}#${e.key.value}`, value);
      if (parsed.errors.length === 0) out.push(parsed);
    }
  }
  return out;
}
