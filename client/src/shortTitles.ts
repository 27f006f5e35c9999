// The checklist view's item labels at the default side-bar width (issue 58): about 30 characters
// fit beside an item's icon and indent, so every item's sentence ("Security, CSRF and clickjacking
// middleware installed") was cut to "Security, CSRF and clickjacking …" and its status description
// pushed out of sight. The row shows the short name; the tooltip, the screen reader's label, the
// CLI and the Markdown keep the whole sentence. No vscode import: unit-tested against the catalogue.

/** Each checklist item's short name (server/src/analysis/catalogue/checklistItems.ts ids). */
export const SHORT_TITLES: Readonly<Record<string, string>> = {
  'debug-off': 'DEBUG off',
  'secret-key': 'SECRET_KEY',
  'settings-selected': 'Settings module selected',
  'tls-verified': 'TLS certificates verified',
  secrets: 'No secrets in the code',
  'settings-current': 'No outdated settings',
  'allowed-hosts': 'ALLOWED_HOSTS',
  'csrf-origins': 'CSRF_TRUSTED_ORIGINS',
  cors: 'CORS origins',
  'proxy-headers': 'Proxy headers',
  'https-redirect': 'HTTPS redirect',
  hsts: 'HSTS',
  'secure-cookies': 'Secure cookies',
  'security-middleware': 'Security middleware',
  'security-headers': 'Header policies',
  csp: 'Content Security Policy',
  'middleware-order': 'Middleware order',
  'middleware-apps': 'Middleware apps',
  'static-files': 'Static files',
  'media-storage': 'Uploads storage',
  'db-connections': 'Database connections',
  'db-security': 'Database security',
  'db-backups': 'Backups and restore',
  cache: 'Shared cache',
  email: 'E-mail backend',
  logging: 'Logging',
  'error-tracking': 'Error tracking',
  alerts: 'Uptime alerts',
  'gunicorn-settings': 'Gunicorn settings',
  'gunicorn-tuning': 'Workers, timeouts, logs',
  process: 'Production server',
  containers: 'Container images',
  'proxy-app': 'Proxy to the app',
  'proxy-tls': 'Proxy TLS and headers',
  'ci-deploy-check': 'check --deploy in CI',
  'ci-migrations': 'Migrations check in CI',
  collectstatic: 'collectstatic in the build',
  'migrations-step': 'Migrations step',
  'background-workers': 'Background workers',
  'health-endpoint': 'Health-check endpoint',
  'supported-versions': 'Supported releases',
  'migrations-reviewed': 'Migrations reviewed',
  'rollback-doc': 'Rollback written down',
  'rollback-rehearsed': 'Rollback rehearsed',
};

/** The longest short name: what fits beside an item's icon at the default side-bar width. */
export const SHORT_TITLE_MAX = 26;

/** An item's row label: its short name, or its title when it has none (an item added later). */
export function itemLabel(item: { id: string; title: string }): string {
  return SHORT_TITLES[item.id] ?? item.title;
}
