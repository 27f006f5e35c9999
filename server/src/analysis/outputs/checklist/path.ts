// The request path in the checklist: under "HTTPS & cookies", who redirects to HTTPS and who sends
// HSTS in front of each deployment; under "Reverse proxy", where TLS ends and who logs each
// request. One line per deployment, each hop with what it does and where that is said, so a reader
// sees why a Django-side finding was kept or dropped.
import type { HopDoesView, RequestPathView } from '../../models/requestPath/view';
import type { ChecklistGroupId } from '../../catalogue/checklistItems';
import { readableName } from '../../base/relPath';

const SHOWN: Partial<Record<ChecklistGroupId, readonly [keyof HopShown, string][]>> = {
  'https-cookies': [
    ['https-redirect', 'HTTPS redirect'],
    ['hsts', 'HSTS'],
  ],
  proxy: [
    ['tls', 'TLS'],
    ['access-log', 'request log'],
  ],
};

type HopShown = { readonly tls: HopDoesView } & RequestPathView['deployments'][number]['hops'][number]['does'];

function answer(a: HopDoesView): string {
  return a.state === 'unknown' ? `cannot be told (${a.text})` : a.source ? `${a.text} — ${a.source}` : a.text;
}

/** The lines the group shows of the path; none when no deployment has a hop in front or the group shows none. */
export function requestPathLines(path: RequestPathView | undefined, group: ChecklistGroupId): string[] {
  const shown = SHOWN[group];
  if (!path || !shown) return [];
  const out: string[] = [];
  for (const d of path.deployments) {
    // (a Helm template's name as a reader knows it: `Deployment cla-backend-app`, not its template text)
    const label = readableName(d.label, d.file);
    if (d.hops.length === 0) {
      out.push(`${label}: nothing in front that the repository shows`);
      continue;
    }
    for (const h of d.hops) {
      const facts: HopShown = { tls: h.tls, ...h.does };
      out.push(`${label}: ${readableName(h.label, h.file)} — ${shown.map(([k, what]) => `${what}: ${answer(facts[k])}`).join('; ')}`);
    }
  }
  const proxy = group === 'https-cookies' ? [path.proxy['https-redirect'], path.proxy.hsts] : [path.proxy['access-log']];
  for (const note of proxy) if (note) out.push(note);
  return out.length > 0 ? ['In front of Django:', ...out.map((l) => `  ${l}`)] : [];
}
