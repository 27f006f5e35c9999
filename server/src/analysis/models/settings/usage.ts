// Whether the production settings show that the project uses a service whose setting it never
// configures: the cache, outgoing e-mail. A default that nothing uses is not a production problem
// (a site with no cache in use loses nothing to a per-process LocMemCache; one that sends no mail
// loses nothing to EMAIL_HOST = "localhost"), so rules about such defaults ask here first and say
// what they found. The one place that decides "in use" for the rules.
import { DJANGO_DEFAULTS } from '../../catalogue/djangoDefaults';
import { catalogueNames } from '../../catalogue/libraries/index';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import type { Settings } from './settings';
import { MW } from './middleware';
import { textFact } from './textFacts';
import { isPublicHalf } from '../../secrets/index';
import {
  ALLAUTH,
  ALLAUTH_NO_VERIFICATION,
  AXES,
  COMPRESSOR,
  CONSTANCE,
  CONSTANCE_DJANGO_CACHE,
  DJANGO_Q,
  DJANGO_Q_BROKERS,
  DJANGO_Q_CACHED_RESULTS,
  DJANGO_Q_DJANGO_REDIS,
  DJANGO_Q_STATS,
  productionDefault,
} from '../../catalogue/libraries';
import { lineIndexAt } from '../../base/lines';
import { errorMail } from './errorMail';

/** Apps that keep their state in Django's cache (rate limits, lockouts, cached querysets, live settings). */
const CACHE_APPS: readonly (readonly [string, string])[] = [
  ['cachalot', 'django-cachalot caches querysets in it'],
  ['cacheops', 'django-cacheops caches querysets in it'],
  ['django_ratelimit', 'django-ratelimit counts requests in it'],
  ['ratelimit', 'django-ratelimit counts requests in it'],
  ['health_check.cache', 'django-health-check checks it'],
];

/**
 * Apps that keep only what any worker can remake in Django's cache (a minor use): django-compressor's
 * names of compressed files and file hashes (COMPRESS_CACHE_BACKEND, "default" by default:
 * django-compressor's docs, Settings: COMPRESS_CACHE_BACKEND).
 */
const MINOR_CACHE_APPS: readonly (readonly [string, string])[] = [
  [COMPRESSOR.apps.compressor, 'django-compressor keeps the names and hashes of its compressed files there'],
];

/** Apps that send mail of their own (sign-up and verification, password reset, notifications); django-allauth: allauthMail. */
const MAIL_APPS: readonly (readonly [string, string])[] = [
  ['djoser', 'djoser sends activation and password-reset mail'],
  ['registration', 'django-registration sends activation mail'],
  ['django_registration', 'django-registration sends activation mail'],
  ['post_office', 'django-post-office sends queued mail'],
  ['anymail', 'django-anymail is installed'],
  ['djcelery_email', 'django-celery-email is installed'],
  ['templated_email', 'django-templated-email sends mail'],
  ['wagtail.admin', "Wagtail's admin sends password-reset and moderation mail"],
  ['invitations', 'django-invitations sends invitation mail'],
  ['helpdesk', 'django-helpdesk sends ticket mail'],
];

/**
 * Settings that only a project sending mail writes. (SERVER_EMAIL and EMAIL_SUBJECT_PREFIX are not
 * among them: they shape only the error reports mailed to ADMINS and MANAGERS, which are judged by
 * those lists and the logging that mails them.)
 */
const MAIL_SETTINGS = [
  'EMAIL_HOST_USER',
  'EMAIL_HOST_PASSWORD',
  'EMAIL_PORT',
  'EMAIL_USE_TLS',
  'EMAIL_USE_SSL',
  'DEFAULT_FROM_EMAIL',
  ALLAUTH.settings.emailVerification.name,
  'PASSWORD_RESET_TIMEOUT',
];

/**
 * Text of the settings modules that names Django's cache API (an import, `caches[...]`, `cache_page`)
 * or DRF's throttles, whose counters live in the default cache (rest_framework/throttling.py).
 */
const CACHE_API =
  /\bfrom\s+django\.core\.cache\s+import\b|\bimport\s+django\.core\.cache\b|\bcache_page\b|\bcaches\s*\[|\bDEFAULT_THROTTLE_CLASSES\b/;

/** Text of the settings modules that sends error mail (the admin e-mail handler, mail_admins). */
const MAIL_API = /\bAdminEmailHandler\b|\bmail_admins\b|\bfrom\s+django\.core\.mail\s+import\b|\bsend_mail\s*\(/;

/** The same, without the error-mail handler (when LOGGING's route to it is known). */
const MAIL_CALLS = /\bfrom\s+django\.core\.mail\s+import\b|\bsend_mail\s*\(/;

/** django-allauth's apps that send mail for local accounts. */
const ALLAUTH_APPS: readonly string[] = [ALLAUTH.apps.allauth, ALLAUTH.apps.account];

/** Whether ACCOUNT_EMAIL_VERIFICATION is "none": django-allauth then sends no verification mail. */
function verificationOff(settings: Settings): boolean {
  const v = settings.get(ALLAUTH.settings.emailVerification.name).value;
  return v.kind === 'str' && v.v.trim().toLowerCase() === ALLAUTH_NO_VERIFICATION;
}

/**
 * What django-allauth mails, by its documented settings: password resets, and verification mail
 * unless ACCOUNT_EMAIL_VERIFICATION is "none"; nothing (undefined) with SOCIALACCOUNT_ONLY = True,
 * which disables every local-account feature (its system checks then require verification "none").
 */
function allauthMail(settings: Settings): string | undefined {
  const only = settings.get(ALLAUTH.settings.socialAccountOnly.name).value;
  if (only.kind !== 'unknown' && V.truthy(only) === true) return undefined;
  return verificationOff(settings)
    ? 'django-allauth sends password-reset mail'
    : 'django-allauth sends verification and password-reset mail';
}

/**
 * django-axes counts failed logins in the cache only with its cache handler (AXES_HANDLER); its
 * default handler keeps them in the database. A handler the settings do not show may be the cache's.
 */
function axesCache(settings: Settings): string | undefined {
  if (!installed(settings, [[AXES.apps.axes, 'django-axes']])) return undefined;
  const handler = settings.get(AXES.settings.handler.name, V.str(productionDefault(AXES.settings.handler), 'default')).value;
  if (handler.kind === 'str' && !(AXES.cacheHandlers as readonly string[]).includes(handler.v)) return undefined;
  return handler.kind === 'str'
    ? 'django-axes counts failed logins in it (AXES_HANDLER is its cache handler)'
    : 'django-axes may count failed logins in it (AXES_HANDLER is not known)';
}

/**
 * django-constance keeps live settings in Django's cache only with its database backend and
 * CONSTANCE_DATABASE_CACHE_BACKEND naming a cache (catalogue CONSTANCE_DJANGO_CACHE); its default
 * Redis backend and its memory backend use none. Only the default cache is asked about here (the
 * alias the rules judge), and constance refuses a LocMemCache there at start, which is said.
 */
function constanceCache(settings: Settings, own?: OwnPackage): string | undefined {
  if (!installed(settings, [[CONSTANCE.apps.constance, CONSTANCE.distribution]], own)) return undefined;
  const fact = CONSTANCE_DJANGO_CACHE.value;
  const backend = settings.get(CONSTANCE.settings.backend.name, V.str(productionDefault(CONSTANCE.settings.backend), 'default')).value;
  if (backend.kind === 'str' && backend.v !== fact.backend) return undefined;
  const alias = settings.get(fact.aliasSetting).value;
  if (alias.kind === 'none' || (alias.kind !== 'unknown' && alias.kind !== 'str')) return undefined;
  if (alias.kind === 'str' && alias.v !== 'default') return undefined;
  const refuses = fact.refusesLocMem ? ' and refuses a LocMemCache there at start' : '';
  if (backend.kind === 'str' && alias.kind === 'str')
    return `django-constance's database backend is told to cache live settings in it (${fact.aliasSetting} = "default")${refuses}`;
  return `django-constance may cache live settings in it (${backend.kind === 'str' ? `${fact.aliasSetting} is not known` : `${CONSTANCE.settings.backend.name} is not known`})${refuses}`;
}

/**
 * What django-q keeps in the default cache, by the keys of its Q_CLUSTER (catalogue/libraries/djangoQ.ts):
 * task results with `cached` on; the Redis broker's connection with `django_redis` naming the cache;
 * with a broker other than Redis (orm, sqs, mongo, iron_mq, a broker_class), only its cluster
 * statistics, which the monitor commands read (a minor use). Nothing with the Redis broker, its
 * default, which keeps the statistics in Redis; nothing either when `cache` names another cache.
 */
function djangoQCache(settings: Settings, own?: OwnPackage): CacheUse | undefined {
  if (!installed(settings, [[DJANGO_Q.apps.djangoQ, DJANGO_Q.distribution]], own)) return undefined;
  const name = DJANGO_Q.settings.cluster.name;
  const conf = settings.get(name);
  // never set: the Redis broker on localhost, nothing in Django's cache
  if (!conf.isSet) return undefined;
  const v = conf.value;
  if (v.kind !== 'dict')
    return v.kind === 'unknown' ? { why: `django-q may keep task results or statistics in it (${name} is not known)` } : undefined;
  // a key's value: null when the key is absent, undefined when the dict cannot say
  const key = (k: string): Value | null | undefined => V.dictGetStr(v, k);
  /** true / false, or undefined when a key's value (or whether it is there) is not known. */
  const on = (k: string): boolean | undefined => {
    const x = key(k);
    if (x === null) return false;
    return x === undefined || x.kind === 'unknown' ? undefined : V.truthy(x);
  };
  const names = (k: string, alias: string): boolean | undefined => {
    const x = key(k);
    if (x === null) return k === DJANGO_Q_STATS.cacheAlias.knob ? alias === DJANGO_Q_STATS.cacheAlias.value : false;
    return x?.kind === 'str' ? x.v === alias : undefined;
  };
  const inDefault = names(DJANGO_Q_STATS.cacheAlias.knob, 'default');
  const cached = on(DJANGO_Q_CACHED_RESULTS.knob);
  if (inDefault !== false && cached !== false)
    return cached
      ? { why: `django-q keeps task results in it (${name}'s ${DJANGO_Q_CACHED_RESULTS.knob})` }
      : { why: `django-q may keep task results in it (${name}'s ${DJANGO_Q_CACHED_RESULTS.knob} is not known)` };
  // the broker, as get_broker picks it: the first key with a true value, else Redis
  let broker: (typeof DJANGO_Q_BROKERS.value)[number] | undefined;
  let maybe = false;
  for (const b of DJANGO_Q_BROKERS.value) {
    const o = on(b.key);
    if (o === undefined) maybe = true;
    else if (o) {
      broker = b;
      break;
    }
  }
  if (!broker && !maybe) {
    const redis = names(DJANGO_Q_DJANGO_REDIS.knob, 'default');
    return redis === false
      ? undefined
      : {
          why: `django-q's Redis broker ${redis ? 'asks' : 'may ask'} it for its connection (${name}'s ${DJANGO_Q_DJANGO_REDIS.knob}), which only a django-redis cache gives`,
        };
  }
  if (inDefault === false || !DJANGO_Q_STATS.inCacheUnlessRedis.value) return undefined;
  const which = !broker
    ? `its broker, if not Redis, keeps`
    : broker.key === DJANGO_Q_BROKERS.value[0]!.key
      ? `its custom broker (${name}'s ${broker.key}) may keep`
      : `its ${broker.broker} broker (${name}'s ${broker.key}${broker.only ? `, read by ${broker.only} only` : ''}) keeps`;
  return {
    why: `django-q uses it: ${which} the cluster statistics there, which qmonitor and qinfo, run as other processes, then never see`,
    minor: true,
  };
}

/**
 * Whether a dotted module is a package of the project itself (its folder is in the repository): an
 * app of the project's own called `registration` is not django-registration.
 */
export type OwnPackage = (module: string) => boolean;

function installed(settings: Settings, apps: readonly (readonly [string, string])[], own?: OwnPackage): string | undefined {
  const list = settings.strings('INSTALLED_APPS') ?? [];
  for (const [app, why] of apps) if (list.some((a) => a === app || a.startsWith(`${app}.apps.`)) && !own?.(app)) return why;
  return undefined;
}

/** How a message names a file (the rules' fileOf: from the project's root). */
type FileName = (file: string) => string;

function inSettingsText(
  settings: Settings,
  fileText: (file: string) => string | undefined,
  re: RegExp,
  name: FileName,
): string | undefined {
  for (const f of settings.module.files) {
    const text = fileText(f);
    if (text && textFact(f, text, re.source, (t) => re.test(t))) return `the settings (${name(f)}) use it`;
  }
  return undefined;
}

/** What the settings show using the cache, and whether only statistics a monitor reads live there. */
export interface CacheUse {
  readonly why: string;
  /** Only statistics a monitor reads are kept there: a per-process cache costs the monitor's view, nothing else. */
  readonly minor?: boolean;
}

/**
 * Why the production settings show the cache in use (sessions aside, which the cache rule reads
 * itself): the cache middleware, CACHE_MIDDLEWARE_* settings, an app that keeps state in it, or the
 * settings naming Django's cache API; a minor use when only a monitor's statistics are kept there.
 * Undefined when nothing shows it.
 */
export function cacheUse(
  settings: Settings,
  fileText: (file: string) => string | undefined,
  name: FileName,
  own?: OwnPackage,
): CacheUse | undefined {
  const mw = settings.strings('MIDDLEWARE') ?? settings.strings('MIDDLEWARE_CLASSES') ?? [];
  if (mw.some((m) => m === MW.updateCache || m === MW.fetchCache || m === 'django.middleware.cache.CacheMiddleware'))
    return { why: 'the cache middleware caches whole pages in it' };
  for (const name of ['CACHE_MIDDLEWARE_SECONDS', 'CACHE_MIDDLEWARE_ALIAS', 'CACHE_MIDDLEWARE_KEY_PREFIX'])
    if (settings.get(name).isSet) return { why: `${name} is set` };
  const q = djangoQCache(settings, own);
  if (q && !q.minor) return q;
  const why =
    installed(settings, CACHE_APPS, own) ??
    constanceCache(settings, own) ??
    axesCache(settings) ??
    inSettingsText(settings, fileText, CACHE_API, name);
  if (why) return { why };
  // (django-compressor with COMPRESS_ENABLED = False compresses nothing, so keeps nothing there)
  const compressOff = settings.get(COMPRESSOR.settings.enabled.name).value;
  const minor = compressOff.kind === 'bool' && !compressOff.v ? undefined : installed(settings, MINOR_CACHE_APPS, own);
  return q ?? (minor ? { why: minor, minor: true } : undefined);
}

/**
 * Why the production settings show that the site sends mail: an e-mail backend or mail settings
 * written, ADMINS or MANAGERS listed (error reports), a mail-sending app, or error mails set up in
 * the settings. Undefined when nothing shows it.
 */
export function mailUse(
  settings: Settings,
  fileText: (file: string) => string | undefined,
  name: FileName,
  own?: OwnPackage,
): string | undefined {
  return mailConfigured(settings) ?? mailSender(settings, fileText, name, own);
}

/**
 * Why the production settings are set up for mail (an e-mail backend or mail settings written):
 * where mail would go, not that anything sends it. Undefined when they are not.
 */
export function mailConfigured(settings: Settings): string | undefined {
  if (settings.get('EMAIL_BACKEND').isSet) return 'EMAIL_BACKEND is set';
  for (const name of MAIL_SETTINGS) {
    // "none" is the one value that sends nothing
    if (name === ALLAUTH.settings.emailVerification.name && verificationOff(settings)) continue;
    if (settings.get(name).isSet) return `${name} is set`;
  }
  return undefined;
}

/**
 * What in the production settings sends mail: ADMINS listed while LOGGING leaves Django's
 * AdminEmailHandler in place (error reports), MANAGERS with BrokenLinkEmailsMiddleware, a
 * mail-sending app (django-allauth's local accounts, djoser, django-registration…), or Django's mail
 * API in the settings' text. Undefined when nothing there does (the project's own code may).
 */
export function mailSender(
  settings: Settings,
  fileText: (file: string) => string | undefined,
  name: FileName,
  own?: OwnPackage,
): string | undefined {
  const listed = (name: string): boolean => {
    const v = settings.get(name).value;
    return V.isSeq(v) ? v.items.length > 0 : v.kind === 'unknown';
  };
  // error reports go to ADMINS only through an AdminEmailHandler that LOGGING leaves in place
  const place = (loc: Loc): string => `${name(loc.file)}:${lineIndexAt(fileText(loc.file) ?? '', loc.start) + 1}`;
  const route = errorMail(settings, place);
  if (listed('ADMINS') && route.state !== 'no') return 'ADMINS is set, so Django mails error reports';
  // MANAGERS get mail from BrokenLinkEmailsMiddleware (or the project's own mail_managers calls, which its code shows)
  const broken = (name: string): boolean => settings.get(name).isSet && settings.contains(name, MW.brokenLinks) !== false;
  if (listed('MANAGERS') && (broken('MIDDLEWARE') || broken('MIDDLEWARE_CLASSES')))
    return 'MANAGERS is set, so Django mails broken-link reports';
  const allauth = allauthMail(settings);
  const byAllauth = allauth
    ? installed(
        settings,
        ALLAUTH_APPS.map((app) => [app, allauth] as const),
      )
    : undefined;
  // (the settings' text naming the error-mail handler says nothing once LOGGING's route is read)
  return (
    byAllauth ??
    installed(settings, MAIL_APPS, own) ??
    inSettingsText(settings, fileText, route.state === 'unknown' ? MAIL_API : MAIL_CALLS, name)
  );
}

/** Whether a host names this machine: empty (the client's default), localhost, a loopback address, a socket path. */
export function isThisMachine(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === '' || h === 'localhost' || h === '::1' || h.startsWith('/') || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Words a credential setting's name ends with, before which its service's prefix stands. */
const CREDENTIAL_WORD = /_(PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|AUTH_KEY)$/;

/**
 * The setting that says where the service a credential setting logs in to runs, when the settings
 * write one beside it (REDIS_PASSWORD → REDIS_HOST), with its host; undefined when there is none or
 * it is not known.
 */
export function serviceHostOf(settings: Settings, credentialName: string): { setting: string; host: string } | undefined {
  const m = CREDENTIAL_WORD.exec(credentialName);
  if (!m || m.index === 0) return undefined;
  const prefix = credentialName.slice(0, m.index);
  for (const suffix of ['_HOST', '_HOSTNAME', '_SERVER', '_ADDRESS']) {
    const s = settings.get(prefix + suffix);
    if (s.isSet && s.value.kind === 'str') return { setting: prefix + suffix, host: s.value.v };
  }
  return undefined;
}

/** E-mail backends that never log in to a mail server. */
const NON_SMTP_BACKENDS = new Map([
  ['django.core.mail.backends.console.EmailBackend', 'the console backend'],
  ['django.core.mail.backends.filebased.EmailBackend', 'the file backend'],
  ['django.core.mail.backends.locmem.EmailBackend', 'the in-memory backend'],
  ['django.core.mail.backends.dummy.EmailBackend', 'the dummy backend'],
]);

/** The settings naming the code a project runs by import path: an app, middleware or backend there may read a setting by name. */
const CODE_PATH_SETTINGS = ['INSTALLED_APPS', 'MIDDLEWARE', 'EMAIL_BACKEND', 'AUTHENTICATION_BACKENDS'];

/**
 * Whether Django, a library of the catalogue, or maybe an installed library reads the setting `name`
 * by itself: a Django setting (EMAIL_HOST_PASSWORD), a library's documented setting, or a name whose
 * first word an installed app, middleware or backend's import path holds (`SENDGRID_API_KEY` beside
 * `sgbackend.SendGridBackend`): the project's own code need not name it for it to be used.
 */
export function readByDjangoOrLibrary(settings: Settings, name: string): boolean {
  if (DJANGO_DEFAULTS.some((d) => d.name === name) || catalogueNames().has(name)) return true;
  const word = name.split('_')[0]!.toLowerCase();
  if (word.length < 3) return true;
  return CODE_PATH_SETTINGS.some((s) => {
    const v = settings.get(s).value;
    const items = v.kind === 'str' ? [v.v] : settings.strings(s);
    // (a list the analysis cannot read may hold such a library)
    if (items === undefined) return v.kind === 'unknown' || V.isSeq(v);
    return items.some((i) => i.toLowerCase().includes(word));
  });
}

/**
 * Why the configuration never uses a credential setting, or undefined when it may: the SMTP
 * password under an e-mail backend that never logs in. (Settings Django does not read are not
 * judged: the project's code may read them.)
 */
export function credentialUnused(settings: Settings, name: string): string | undefined {
  if (name !== 'EMAIL_HOST_PASSWORD') return undefined;
  const backend = settings.get('EMAIL_BACKEND').value;
  const label = backend.kind === 'str' ? NON_SMTP_BACKENDS.get(backend.v) : undefined;
  return label ? `EMAIL_BACKEND is ${label}, which never logs in to a mail server` : undefined;
}

/**
 * Whether another setting of the module uses `text` as a dict key or as an entry's id
 * (`HAWK_CREDENTIALS = {SENDER: {"id": SENDER, "key": …}}`): the value of setting `name` then names
 * an entry, as an identifier does, whatever its name says (an entry's id: secrets isPublicHalf).
 */
export function namesAnEntry(settings: Settings, name: string, text: string): boolean {
  let found = false;
  const visit = (v: Value, depth: number): void => {
    if (found || depth > 6) return;
    if (V.isSeq(v)) for (const i of v.items) visit(i, depth + 1);
    else if (v.kind === 'dict')
      v.keys.forEach((k, i) => {
        const value = v.values[i]!;
        if (k.kind === 'str' && (k.v === text || (isPublicHalf(k.v) && value.kind === 'str' && value.v === text))) found = true;
        else visit(value, depth + 1);
      });
  };
  settings.forEachBound((other, value) => {
    if (!found && other !== name && /^[A-Z][A-Z0-9_]*$/.test(other)) visit(value, 0);
  });
  return found;
}
