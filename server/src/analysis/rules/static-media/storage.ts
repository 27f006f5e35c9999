// Which storage Django uses for static files, by version: STATICFILES_STORAGE before 4.2;
// STORAGES["staticfiles"] from 4.2 (STATICFILES_STORAGE still honoured, alone, until 5.0);
// STORAGES only from 5.1, where a leftover STATICFILES_STORAGE is silently ignored. Django fills
// in a missing "staticfiles" alias with StaticFilesStorage.
import { isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { atLeast } from '../../models/project/version';
import { echoable } from '../helpers';
import type { SettingValue } from '../settings';
import type { RuleContext } from '../types';
import { STORAGES_LIB, WHITENOISE } from '../../catalogue/libraries';

export const DEFAULT_STATIC_STORAGE = 'django.contrib.staticfiles.storage.StaticFilesStorage';

export interface StaticStorage {
  /** The backend's dotted path. */
  readonly backend: string;
  readonly value: Value;
  /** Where the backend is written; for Django's default, STORAGES (when set) or the anchor. */
  readonly loc: Loc;
  /** How the backend is configured. */
  readonly source: 'STORAGES' | 'STATICFILES_STORAGE' | 'default';
  /** A STATICFILES_STORAGE that Django ignores in this version (5.1+). */
  readonly ignored?: SettingValue;
}

export type StaticStorageResult =
  | { readonly storage: StaticStorage }
  /** Unknown (reason) or safe (required from the environment, no reason). */
  | { readonly unknown?: string; readonly loc?: Loc }
  /** Django 4.2–5.0 refuses to start (STORAGES together with STATICFILES_STORAGE): DDH604 reports it. */
  | { readonly conflict: true };

/** The staticfiles storage Django uses for the production settings. */
export function staticStorage(ctx: RuleContext): StaticStorageResult {
  const version = ctx.version.version;
  const legacy = ctx.settings.get('STATICFILES_STORAGE');
  if (!atLeast(version, '4.2'))
    return fromValue(ctx, legacy.value, legacy.loc, legacy.isSet ? 'STATICFILES_STORAGE' : 'default', undefined);
  const storages = ctx.settings.get('STORAGES');
  if (!atLeast(version, '5.1') && legacy.isSet) {
    if (storages.isSet) return { conflict: true };
    return fromValue(ctx, legacy.value, legacy.loc, 'STATICFILES_STORAGE', undefined);
  }
  const ignored = atLeast(version, '5.1') && legacy.isSet ? legacy : undefined;
  const sv = storages.value;
  if (sv.kind === 'unknown') return isSupplied(sv) ? {} : { unknown: `STORAGES is not known statically: ${sv.reason}`, loc: storages.loc };
  if (sv.kind !== 'dict') return {};
  const entry = V.dictGetStr(sv, 'staticfiles');
  const defaultLoc = storages.isSet ? storages.loc : (ignored?.loc ?? ctx.anchor);
  if (entry === null)
    return {
      storage: {
        backend: DEFAULT_STATIC_STORAGE,
        value: V.str(DEFAULT_STATIC_STORAGE, 'default', defaultLoc),
        loc: defaultLoc,
        source: 'default',
        ignored,
      },
    };
  if (entry === undefined) return { unknown: 'STORAGES may hold a "staticfiles" entry the analysis cannot read', loc: storages.loc };
  if (entry.kind === 'unknown')
    return isSupplied(entry) ? {} : { unknown: `STORAGES["staticfiles"] is not known statically: ${entry.reason}`, loc: storages.loc };
  if (entry.kind !== 'dict') return {};
  const backend = V.dictGetStr(entry, 'BACKEND');
  if (backend === undefined) return { unknown: 'STORAGES["staticfiles"] may hold a BACKEND the analysis cannot read', loc: storages.loc };
  if (backend === null) return {};
  const loc = ctx.settings.locOf(backend) ?? ctx.settings.locOf(entry) ?? storages.loc;
  return fromValue(ctx, backend, loc, storages.isSet ? 'STORAGES' : 'default', ignored);
}

function fromValue(
  ctx: RuleContext,
  v: Value,
  loc: Loc,
  source: StaticStorage['source'],
  ignored: SettingValue | undefined,
): StaticStorageResult {
  if (v.kind === 'unknown') return isSupplied(v) ? {} : { unknown: `the static files storage is not known statically: ${v.reason}`, loc };
  if (v.kind !== 'str') return {};
  // Django's default, while a STATICFILES_STORAGE it ignores is written: that line reads best
  const where = source === 'default' && ignored ? ignored.loc : (ctx.settings.locOf(v) ?? loc);
  return { storage: { backend: v.v, value: v, loc: where, source, ignored } };
}

/** Storages that write content-hashed file names (ManifestFilesMixin and its relatives). */
const HASHED = new Set([
  'django.contrib.staticfiles.storage.ManifestStaticFilesStorage',
  'django.contrib.staticfiles.storage.CachedStaticFilesStorage',
  ...WHITENOISE.storages.hashed,
  ...STORAGES_LIB.storages.hashed,
  'cloudinary_storage.storage.StaticHashedCloudinaryStorage',
  'pipeline.storage.PipelineManifestStorage',
]);

/** Storages that keep file names as they are. */
const PLAIN = new Set([
  DEFAULT_STATIC_STORAGE,
  'django.core.files.storage.FileSystemStorage',
  ...WHITENOISE.storages.plain,
  ...STORAGES_LIB.storages.plain,
  'cloudinary_storage.storage.StaticCloudinaryStorage',
  'pipeline.storage.PipelineStorage',
]);

/** Whether a storage hashes file names: true/false, undefined for a class the analysis does not know. */
export function isHashed(backend: string): boolean | undefined {
  if (HASHED.has(backend)) return true;
  if (PLAIN.has(backend)) return false;
  // a project's own subclass keeps the name of what it extends, by convention
  return /Manifest|Hashed/.test(backend.slice(backend.lastIndexOf('.') + 1)) ? true : undefined;
}

/** Whether a storage writes to STATIC_ROOT on the local disk: true/false, undefined when unknown. */
export function isLocal(backend: string): boolean | undefined {
  if (backend.startsWith('django.contrib.staticfiles.storage.') || backend === 'django.core.files.storage.FileSystemStorage') return true;
  if (backend.startsWith(WHITENOISE.packagePrefix)) return true;
  if (backend.startsWith(STORAGES_LIB.backendsPrefix) || backend.startsWith('cloudinary_storage.')) return false;
  return undefined;
}

/** The short class name for messages (only when it looks like a class name: never echo arbitrary text). */
export function className(backend: string): string {
  const name = backend.slice(backend.lastIndexOf('.') + 1);
  if (/^[A-Z]/.test(name) && echoable(name)) return name;
  // the last part of a dotted Python path (`storages.backends.s3boto3.S3Boto3Storage`) is a class name, not a secret
  const parts = backend.split('.');
  const dotted = parts.length > 1 && parts.length <= 8 && parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]{0,59}$/.test(p));
  return dotted && /^[A-Z]/.test(name) ? name : 'a storage class';
}

/** The setting name a user should edit for the static storage in this version. */
export function storageSettingName(version: string): string {
  return atLeast(version, '4.2') ? 'STORAGES["staticfiles"]' : 'STATICFILES_STORAGE';
}

/** The setting that configures this storage, for messages. */
export function storageLabel(s: StaticStorage, version: string): string {
  return s.source === 'STATICFILES_STORAGE' ? 'STATICFILES_STORAGE' : storageSettingName(version);
}
