// Database rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { connMaxAgeZero } from './connMaxAgeZero';
import { dbSslNotRequired } from './dbSslNotRequired';
import { hardcodedDbPassword } from './hardcodedDbPassword';
import { noConnHealthChecks } from './noConnHealthChecks';
import { noStatementTimeout } from './noStatementTimeout';
import { poolMisconfigured } from './poolMisconfigured';
import { sqliteInProduction } from './sqliteInProduction';

export const databaseRules: Rule[] = [
  connMaxAgeZero,
  noConnHealthChecks,
  dbSslNotRequired,
  sqliteInProduction,
  hardcodedDbPassword,
  noStatementTimeout,
  poolMisconfigured,
];
