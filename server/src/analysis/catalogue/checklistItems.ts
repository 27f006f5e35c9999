// The production checklist's items, grouped as the deployment guides group them. Rules feed items
// (each rule names its item in its `checklist` field); deployment items are read from files;
// manual items are things only a person can judge, ticked in the editor and remembered per workspace.
import type { RuleGroup } from './groups';

export type ChecklistGroupId = Exclude<RuleGroup, 'analysis'>;

export interface ChecklistItemDef {
  readonly id: string;
  readonly group: ChecklistGroupId;
  readonly title: string;
  /** Only a person can judge it: ticked by hand. */
  readonly manual?: boolean;
}

const ITEMS = [
  // Settings & secrets
  { id: 'debug-off', group: 'settings-secrets', title: 'DEBUG is off in production' },
  { id: 'secret-key', group: 'settings-secrets', title: 'SECRET_KEY comes from the environment and is strong' },
  { id: 'settings-selected', group: 'settings-secrets', title: 'The deployment selects the production settings module' },
  { id: 'tls-verified', group: 'settings-secrets', title: 'Clients in the settings verify TLS certificates' },
  { id: 'secrets', group: 'settings-secrets', title: 'No credentials, keys or tokens in the code' },
  { id: 'settings-current', group: 'settings-secrets', title: 'No settings this Django ignores or deprecates; time zone support on' },
  // Hosts & origins
  { id: 'allowed-hosts', group: 'hosts-origins', title: 'ALLOWED_HOSTS lists the real host names' },
  { id: 'csrf-origins', group: 'hosts-origins', title: 'CSRF_TRUSTED_ORIGINS are https origins' },
  { id: 'cors', group: 'hosts-origins', title: 'CORS allows only known origins' },
  { id: 'proxy-headers', group: 'hosts-origins', title: 'Proxy headers are trusted only from the proxy' },
  // HTTPS & cookies
  { id: 'https-redirect', group: 'https-cookies', title: 'HTTP is redirected to HTTPS' },
  { id: 'hsts', group: 'https-cookies', title: 'HSTS is on, ramped up carefully' },
  { id: 'secure-cookies', group: 'https-cookies', title: 'Session and CSRF cookies are secure' },
  // Security headers
  { id: 'security-middleware', group: 'security-headers', title: 'Security, CSRF and clickjacking middleware installed' },
  { id: 'security-headers', group: 'security-headers', title: 'nosniff, frame, referrer and opener policies set' },
  { id: 'csp', group: 'security-headers', title: 'A Content Security Policy is enforced, without unsafe script sources' },
  // Middleware
  { id: 'middleware-order', group: 'middleware', title: 'Middleware is in the right order' },
  { id: 'middleware-apps', group: 'middleware', title: 'Every middleware has its app; no debug toolbar' },
  // Static & media
  { id: 'static-files', group: 'static-media', title: 'Static files are collected and served with hashed names' },
  { id: 'media-storage', group: 'static-media', title: 'User uploads live on persistent, backed-up storage', manual: true },
  // Database
  { id: 'db-connections', group: 'database', title: 'Persistent database connections with health checks' },
  { id: 'db-security', group: 'database', title: 'Database: production engine, SSL, credentials from the environment' },
  { id: 'db-backups', group: 'database', title: 'Backups are automated and a restore has been tested', manual: true },
  // Caches, sessions & e-mail
  { id: 'cache', group: 'caches-sessions-email', title: 'A shared cache (not local memory) holds sessions and cached data' },
  { id: 'email', group: 'caches-sessions-email', title: 'A real e-mail backend sends mail' },
  // Logging & monitoring
  { id: 'logging', group: 'logging-monitoring', title: 'Logging is configured; no SQL debug logging' },
  { id: 'error-tracking', group: 'logging-monitoring', title: 'Errors are tracked without leaking personal data or secrets' },
  { id: 'alerts', group: 'logging-monitoring', title: 'Uptime monitoring and alerts are set up', manual: true },
  // App server
  { id: 'gunicorn-settings', group: 'app-server', title: 'Gunicorn settings are valid (no typos, right types)' },
  { id: 'gunicorn-tuning', group: 'app-server', title: 'Workers, timeouts and logs are set deliberately' },
  { id: 'process', group: 'app-server', title: 'A production server runs the app (no runserver, no reload)' },
  { id: 'containers', group: 'app-server', title: 'Images log unbuffered, run as a non-root user, keep no pip cache' },
  // Reverse proxy
  { id: 'proxy-app', group: 'proxy', title: 'The proxy reaches the app server and passes the scheme, host and body it needs' },
  { id: 'proxy-tls', group: 'proxy', title: 'The proxy serves modern TLS, hides its version and keeps its headers' },
  // Deployment
  { id: 'ci-deploy-check', group: 'deployment', title: 'CI runs check --deploy or django-deploy-check' },
  { id: 'ci-migrations', group: 'deployment', title: 'CI checks for missing migrations' },
  { id: 'collectstatic', group: 'deployment', title: 'collectstatic runs in the build' },
  { id: 'migrations-step', group: 'deployment', title: 'Migrations run once per release, not by every web instance' },
  { id: 'background-workers', group: 'deployment', title: 'Workers and one scheduler run as processes of their own' },
  { id: 'health-endpoint', group: 'deployment', title: 'A health-check endpoint exists' },
  { id: 'supported-versions', group: 'deployment', title: 'Django, Python, the base image and the app server are supported releases' },
  // computed from the migration rules' findings on the migrations checked (the change set: see
  // checklist.ts migrationsItem); to review by hand where they were not checked
  { id: 'migrations-reviewed', group: 'deployment', title: 'Migrations reviewed, no destructive changes' },
  { id: 'rollback-doc', group: 'deployment', title: 'A rollback procedure is written down' },
  { id: 'rollback-rehearsed', group: 'deployment', title: 'The rollback has been rehearsed', manual: true },
] as const satisfies readonly ChecklistItemDef[];

/** The id of a checklist item. */
export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number]['id'];

/** What a rule feeds: a checklist item, or `analysis` (what the analysis itself could not do). */
export type RuleChecklistId = ChecklistItemId | 'analysis';

export const CHECKLIST_ITEMS: readonly ChecklistItemDef[] = ITEMS;

const IDS = new Set<string>(CHECKLIST_ITEMS.map((i) => i.id));

export function isChecklistItem(id: string): boolean {
  return IDS.has(id);
}
