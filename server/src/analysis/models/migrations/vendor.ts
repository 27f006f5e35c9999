// The database a project's migrations run on in production: the ENGINE of DATABASES["default"] in
// the production settings, read through the settings query. Advice that only holds for one
// database (PostgreSQL's concurrent index builds) is given only when the vendor is known.
import { isSupplied } from '../settings/query';
import * as V from '../../eval/values';
import type { Loc } from '../../eval/values';
import type { Settings } from '../settings/settings';
import { engineKind } from '../../catalogue/databaseEngines';

export type VendorKind = 'postgresql' | 'mysql' | 'sqlite' | 'unknown';

export interface DatabaseVendor {
  readonly kind: VendorKind;
  /** Why it is this vendor ("DATABASES["default"] uses django.db.backends.postgresql"), or why it is not known. */
  readonly reason: string;
  readonly loc?: Loc;
}

/** The production database vendor; unknown (with the reason) when the settings do not say. */
export function databaseVendor(settings: Settings | undefined, noProductionReason?: string): DatabaseVendor {
  if (!settings) return { kind: 'unknown', reason: noProductionReason ?? 'no production settings module was found' };
  const s = settings.get('DATABASES');
  const v = s.value;
  if (v.kind === 'unknown')
    return {
      kind: 'unknown',
      reason: isSupplied(v) ? 'DATABASES comes from the environment' : `DATABASES is not known statically: ${v.reason}`,
      loc: s.loc,
    };
  if (v.kind !== 'dict') return { kind: 'unknown', reason: 'DATABASES is not a dict', loc: s.loc };
  const entry = V.dictGetStr(v, 'default');
  if (!entry) return { kind: 'unknown', reason: 'DATABASES has no "default" entry the analysis can read', loc: s.loc };
  if (entry.kind !== 'dict')
    return { kind: 'unknown', reason: 'DATABASES["default"] is not known statically', loc: settings.locOf(entry) ?? s.loc };
  const engine = V.dictGetStr(entry, 'ENGINE');
  const where = settings.locOf(engine ?? entry) ?? s.loc;
  if (!engine || engine.kind !== 'str')
    return {
      kind: 'unknown',
      reason:
        engine && isSupplied(engine)
          ? 'the ENGINE of DATABASES["default"] comes from the environment'
          : 'the ENGINE of DATABASES["default"] is not known statically',
      loc: where,
    };
  const kind = engineKind(engine.v);
  if (kind === 'postgresql' || kind === 'mysql' || kind === 'sqlite')
    return { kind, reason: `DATABASES["default"] uses ${engine.v}`, loc: where };
  return { kind: 'unknown', reason: `DATABASES["default"] uses an engine the analysis does not know (${engine.v})`, loc: where };
}
