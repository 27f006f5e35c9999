// Migration rules (issue 20): each checks one migration file. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { alterFieldRewrite } from './alterFieldRewrite';
import { concurrentInAtomic } from './concurrentInAtomic';
import { dataAndSchema } from './dataAndSchema';
import { dropColumn } from './dropColumn';
import { indexNotConcurrent } from './indexNotConcurrent';
import { multipleLeaves } from './multipleLeaves';
import { notNullAddField } from './notNullAddField';
import { renameColumn } from './renameColumn';
import { runPythonImportsModels } from './runPythonImportsModels';
import { runPythonIrreversible } from './runPythonIrreversible';
import { runSqlIrreversible } from './runSqlIrreversible';
import { uncommittedMigration } from './uncommittedMigration';

export const migrationRules: Rule[] = [
  notNullAddField,
  runPythonIrreversible,
  runSqlIrreversible,
  concurrentInAtomic,
  indexNotConcurrent,
  dropColumn,
  renameColumn,
  alterFieldRewrite,
  multipleLeaves,
  runPythonImportsModels,
  dataAndSchema,
  uncommittedMigration,
];
