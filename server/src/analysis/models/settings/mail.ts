// What the product knows about Django's outgoing mail, shared by the e-mail rules (DDH803, DDH804)
// and their fixes: the SMTP backend's name and which EMAIL_HOST values are the app server itself.
import type { Settings } from './settings';

export const SMTP_BACKEND = 'django.core.mail.backends.smtp.EmailBackend';

/** EMAIL_HOST values (trimmed, lower-cased) that hand mail to the app server itself. */
export const LOCAL_EMAIL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', 'localhost.localdomain']);

/** Whether EMAIL_HOST is (written or by default) a local host: 'local', 'elsewhere', or 'unknown'. */
export function emailHostIs(settings: Pick<Settings, 'get'>): 'local' | 'elsewhere' | 'unknown' {
  const v = settings.get('EMAIL_HOST').value;
  if (v.kind === 'unknown') return 'unknown';
  return v.kind === 'str' && LOCAL_EMAIL_HOSTS.has(v.v.trim().toLowerCase()) ? 'local' : 'elsewhere';
}
