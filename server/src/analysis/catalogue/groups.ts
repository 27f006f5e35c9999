// The rule and checklist groups, shared by rules, the checklist and the generated docs.

/** The checklist groups, in the order the deployment guides use. */
export const GROUPS = {
  'settings-secrets': 'Settings & secrets',
  'hosts-origins': 'Hosts & origins',
  'https-cookies': 'HTTPS & cookies',
  'security-headers': 'Security headers',
  middleware: 'Middleware',
  'static-media': 'Static & media',
  database: 'Database',
  'caches-sessions-email': 'Caches, sessions & email',
  'logging-monitoring': 'Logging & monitoring',
  'app-server': 'App server',
  proxy: 'Reverse proxy',
  migrations: 'Migrations',
  deployment: 'Deployment',
  analysis: 'Analysis',
} as const;

export type RuleGroup = keyof typeof GROUPS;
