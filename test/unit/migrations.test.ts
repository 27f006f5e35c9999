// The migration reader, an app's history and the migration entry point (issue 20).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeProject } from '../../server/src/analysis/engine/engine';
import {
  analyzeMigrations,
  databaseVendor,
  isMigrationFile,
  MIGRATION_RULE_CODES,
  migrationFilesOf,
  opArg,
  readMigration,
  strOf,
} from '../../server/src/analysis/engine/migrations';
import { readGraphNode } from '../../server/src/analysis/readers/python/migration';
import { MigrationHistory } from '../../server/src/analysis/models/migrations/history';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

const read = (text: string, file = '/p/shop/migrations/0002_x.py') => readMigration(file, PythonDocument.parse(text));

const MIGRATION = `from django.db import migrations, models
from django.contrib.postgres.operations import AddIndexConcurrently as AIC


def forwards(apps, schema_editor):
    from shop.models import Order
    Order.objects.update(total=0)


class Migration(migrations.Migration):
    atomic = False
    initial = True
    dependencies = [("shop", "0001_initial"), migrations.swappable_dependency("auth.User")]
    replaces = [("shop", "0001_a"), ("shop", "0001_b")]

    operations = [
        migrations.AddField("order", name="qty", field=models.IntegerField(default=-1, choices=[(1, "one")])),
        AIC(model_name="order", index=models.Index(fields=["qty"], name="qty_idx")),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL("DROP TABLE x", reverse_sql=migrations.RunSQL.noop)],
            state_operations=[migrations.DeleteModel("X")],
        ),
        migrations.RunPython(forwards),
    ]
`;

describe('migration reader', () => {
  before(async () => {
    await loadParser();
  });

  it('reads the Migration class: dependencies, replaces, atomic, initial', () => {
    const m = read(MIGRATION);
    assert.equal(m.app, 'shop');
    assert.equal(m.name, '0002_x');
    assert.equal(m.atomic, false);
    assert.equal(m.initial, true);
    assert.deepEqual(
      m.dependencies.map((d) => `${d.app}.${d.name}`),
      ['shop.0001_initial'],
    );
    assert.equal(m.dependenciesUnknown, undefined, 'swappable_dependency is another app: not unreadable');
    assert.deepEqual(
      m.replaces.map((d) => d.name),
      ['0001_a', '0001_b'],
    );
    assert.ok(m.classLoc && m.bodyStart);
  });

  it('reads operations with their arguments, positional or keyword, nested ones with their scope', () => {
    const m = read(MIGRATION);
    assert.deepEqual(
      m.operations.map((o) => `${o.kind}:${o.scope}:${o.index}:${o.django}`),
      [
        'AddField:top:0:true',
        'AddIndexConcurrently:top:1:true',
        'SeparateDatabaseAndState:top:2:true',
        'RunSQL:database:2:true',
        'DeleteModel:state:2:true',
        'RunPython:top:3:true',
      ],
    );
    const add = m.operations[0]!;
    assert.equal(strOf(opArg(add, 'model_name')), 'order');
    assert.equal(strOf(opArg(add, 'name')), 'qty');
    const field = opArg(add, 'field')!;
    assert.equal(field.call?.callee, 'models.IntegerField');
    const def = field.call!.kwargs.find((k) => k.name === 'default')!.value;
    assert.deepEqual([def.value.kind, def.value.kind === 'int' && def.value.v], ['int', -1]);
    assert.equal(field.call!.kwargs.find((k) => k.name === 'choices')!.value.value.kind, 'list');
    const sql = m.operations[3]!;
    assert.equal(strOf(opArg(sql, 'sql')), 'DROP TABLE x');
    assert.equal(opArg(sql, 'reverse_sql')?.name, 'migrations.RunSQL.noop');
    assert.equal(opArg(m.operations[5]!, 'code')?.name, 'forwards');
    // locations point at the text
    assert.equal(MIGRATION.slice(add.loc.start, add.loc.start + 19), 'migrations.AddField');
  });

  it("reads the module's functions and the models modules they import directly", () => {
    const m = read(MIGRATION);
    const fn = m.functions.get('forwards')!;
    assert.deepEqual(
      fn.modelImports.map((i) => i.module),
      ['shop.models'],
    );
  });

  it('says what it cannot read instead of guessing', () => {
    assert.match(read('x = 1\n').operationsUnknown ?? '', /no Migration class/);
    const dynamic = read('from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = OPS + [1]\n');
    assert.match(dynamic.operationsUnknown ?? '', /not a list/);
    const call = read('from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = [make_op()]\n');
    assert.equal(call.operations[0]?.django, false, 'a call of something that is not an operation');
    const noOps = read('from django.db import migrations\nclass Migration(migrations.Migration):\n    pass\n');
    assert.equal(noOps.operationsUnknown, undefined);
    assert.equal(noOps.operations.length, 0);
  });

  it('stays bounded and total on hostile files: deep nesting, syntax errors, huge lists', () => {
    const deep = `from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL(${'['.repeat(500)}${']'.repeat(500)})]\n`;
    const m = read(deep);
    assert.equal(m.operations[0]?.kind, 'RunSQL');
    const broken = read(
      'from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = [migrations.AddField("a", "b", models.IntegerField(\n',
    );
    assert.ok(Array.isArray(broken.operations));
    const many = `from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = [${'migrations.RunSQL("x", "y"), '.repeat(6000)}]\n`;
    const big = read(many);
    assert.match(big.operationsUnknown ?? '', /not a list/, 'a list past the bound is not read, and says so');
    assert.equal(read('\u0000\u0001 not python at all (').operationsUnknown, 'it has no Migration class');
  });

  it('knows which files are migration modules', () => {
    assert.ok(isMigrationFile('/p/shop/migrations/0001_initial.py'));
    assert.ok(isMigrationFile('/p/shop/migrations/auto_merge.py'));
    assert.ok(!isMigrationFile('/p/shop/migrations/__init__.py'));
    assert.ok(!isMigrationFile('/p/shop/models.py'));
    assert.ok(!isMigrationFile('/p/shop/migrations/data.json'));
  });
});

function migration(deps: string[], extra = ''): string {
  return `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [${deps.map((d) => `("shop", "${d}")`).join(', ')}]\n${extra}    operations = []\n`;
}

function historyOf(files: Record<string, string>, label?: string): MigrationHistory {
  const folder = '/p/shop/migrations';
  return new MigrationHistory(folder, {
    list: () => Object.keys(files).map((n) => `${folder}/${n}`),
    read: (f) => readMigration(f, PythonDocument.parse(files[f.split('/').pop()!]!)),
    text: (f) => files[f.split('/').pop()!],
    label: () => label,
  });
}

describe('migration graph from text', () => {
  before(async () => {
    await loadParser();
  });

  it('reads plain dependency and replaces lists without parsing, as the parser reads them', () => {
    for (const text of [
      MIGRATION,
      migration(['0001_initial', '0002_a']),
      'from django.db import migrations\nclass Migration(migrations.Migration):\n    dependencies = (\n        # the parent\n        ("shop", \'0001_initial\'),\n        migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n    )\n',
    ]) {
      const node = readGraphNode('/p/shop/migrations/0002_x.py', text);
      const parsed = read(text);
      assert.ok(node, text);
      assert.deepEqual(
        node.dependencies.map((d) => [d.app, d.name]),
        parsed.dependencies.map((d) => [d.app, d.name]),
      );
      assert.deepEqual(
        node.replaces.map((d) => [d.app, d.name]),
        parsed.replaces.map((d) => [d.app, d.name]),
      );
    }
  });

  it('leaves anything else to the parser, and knows a file without a Migration class', () => {
    const f = '/p/shop/migrations/0002_x.py';
    assert.equal(readGraphNode(f, 'class Migration(migrations.Migration):\n    dependencies = BASE + [("shop", "0001")]\n'), undefined);
    assert.equal(readGraphNode(f, 'class Migration(migrations.Migration):\n    dependencies = [("shop", "0001")] + EXTRA\n'), undefined);
    assert.equal(readGraphNode(f, 'class Migration(migrations.Migration):\n    dependencies = [("shop", NAME)]\n'), undefined);
    assert.equal(readGraphNode(f, 'if X:\n    class Migration(migrations.Migration):\n        dependencies = []\n'), undefined);
    assert.equal(readGraphNode(f, 'def helper():\n    pass\n'), null);
  });

  it('falls back to the parsed file for a dependency list it cannot read from text', () => {
    const h = historyOf({
      '0001_initial.py': migration([]),
      '0002_a.py':
        'from django.db import migrations\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_" "initial")]\n',
    });
    assert.deepEqual(h.leaves(), ['0002_a']);
  });
});

describe('migration history', () => {
  before(async () => {
    await loadParser();
  });

  it('finds the leaves of an app', () => {
    const linear = historyOf({ '0001_initial.py': migration([]), '0002_a.py': migration(['0001_initial']) });
    assert.deepEqual(linear.leaves(), ['0002_a']);
    const forked = historyOf({
      '0001_initial.py': migration([]),
      '0002_a.py': migration(['0001_initial']),
      '0002_b.py': migration(['0001_initial']),
    });
    assert.deepEqual(forked.leaves(), ['0002_a', '0002_b']);
    const merged = historyOf({
      '0001_initial.py': migration([]),
      '0002_a.py': migration(['0001_initial']),
      '0002_b.py': migration(['0001_initial']),
      '0003_merge.py': migration(['0002_a', '0002_b']),
    });
    assert.deepEqual(merged.leaves(), ['0003_merge']);
  });

  it('lets a squashed migration stand for those it replaces', () => {
    const h = historyOf({
      '0001_initial.py': migration([]),
      '0002_a.py': migration(['0001_initial']),
      '0001_squashed_0002_a.py': migration([], '    replaces = [("shop", "0001_initial"), ("shop", "0002_a")]\n'),
      '0003_b.py': migration(['0002_a']),
    });
    assert.deepEqual(h.leaves(), ['0003_b']);
  });

  it("uses the AppConfig's label for same-app dependencies", () => {
    const files = {
      '0001_initial.py': migration([]).replace(/"shop"/g, '"store"'),
      '0002_a.py': migration(['0001_initial']).replace(/"shop"/g, '"store"'),
    };
    assert.deepEqual(historyOf(files).leaves(), ['0001_initial', '0002_a'], 'read as another app without the label');
    assert.deepEqual(historyOf(files, 'store').leaves(), ['0002_a']);
  });

  it('finds what earlier migrations said about a field', () => {
    const files = {
      '0001_initial.py':
        'from django.db import migrations, models\nclass Migration(migrations.Migration):\n    operations = [migrations.CreateModel("Order", [("code", models.CharField(max_length=20))])]\n',
      '0002_a.py':
        'from django.db import migrations, models\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [migrations.AlterField("order", "code", models.CharField(max_length=40))]\n',
      '0003_b.py': migration(['0002_a']),
    };
    const h = historyOf(files);
    const field = h.previousField(h.graph().get('0003_b')!, 'Order', 'code');
    assert.equal(field?.call?.kwargs.find((k) => k.name === 'max_length')?.value.value.kind, 'int');
    assert.equal(field?.call?.kwargs[0]?.value.loc.file, '/p/shop/migrations/0002_a.py');
    assert.equal(h.previousField(h.graph().get('0001_initial')!, 'Order', 'code'), undefined);
  });
});

describe('database vendor', () => {
  before(async () => {
    await loadParser();
  });

  const vendorOf = (databases: string): string => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      'mysite/settings.py': `import os\nimport dj_database_url\nSECRET_KEY = os.environ["K"]\nDEBUG = False\n${databases}\n`,
    };
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w']);
    const p = ws.projects({ djangoVersion: '5.2' })[0]!;
    const a = analyzeProject(ws, p, { djangoVersion: '5.2' });
    const v = databaseVendor(a.settings, p.noProductionReason);
    return `${v.kind}: ${v.reason}`;
  };

  it('reads the ENGINE of the default database, written or as the default of a database URL', () => {
    assert.match(
      vendorOf('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}'),
      /^postgresql: .*django\.db\.backends\.postgresql/,
    );
    assert.match(vendorOf('DATABASES = {"default": {"ENGINE": "django.contrib.gis.db.backends.postgis"}}'), /^postgresql/);
    assert.match(vendorOf('DATABASES = {"default": {"ENGINE": "django.db.backends.mysql"}}'), /^mysql/);
    assert.match(vendorOf('DATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}'), /^sqlite/);
  });

  it('says unknown, with the reason, when the settings do not say', () => {
    assert.match(vendorOf('DATABASES = {"default": dj_database_url.config()}'), /^unknown: .*environment/);
    assert.match(vendorOf('DATABASES = {"default": {"ENGINE": os.environ["ENGINE"]}}'), /^unknown: .*environment/);
    assert.match(vendorOf('DATABASES = {"default": {"ENGINE": "django_cockroachdb"}}'), /^postgresql|^unknown/);
    assert.match(vendorOf('DATABASES = {"default": {"ENGINE": "mssql"}}'), /^unknown: .*does not know \(mssql\)/);
    assert.match(vendorOf(''), /^unknown/);
  });
});

describe('analyzeMigrations', () => {
  before(async () => {
    await loadParser();
  });

  const files = {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'mysite/__init__.py': '',
    'mysite/settings.py':
      'SECRET_KEY = __import__("os").environ["K"]\nDEBUG = False\nALLOWED_HOSTS = ["x.com"]\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}}\n',
    'shop/__init__.py': '',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py':
      'from django.db import migrations, models\nclass Migration(migrations.Migration):\n    initial = True\n    operations = [migrations.CreateModel("Order", [("id", models.AutoField(primary_key=True))])]\n',
    'shop/migrations/0002_qty.py':
      'from django.db import migrations, models\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [migrations.AddField("order", "qty", models.IntegerField())]\n',
    'shop/migrations/0003_noqa.py':
      'from django.db import migrations, models\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0002_qty")]\n    operations = [migrations.AddField("order", "n", models.IntegerField())]  # noqa: DDM001\n',
  };
  const setup = () => {
    const ws = new Workspace(new MemoryFileSystem(files, '/w'), ['/w']);
    return { ws, project: ws.projects({ djangoVersion: '5.2' })[0]! };
  };

  it('lists the migration modules of a project', () => {
    const { ws, project } = setup();
    assert.deepEqual(migrationFilesOf(ws, project), [
      '/w/shop/migrations/0001_initial.py',
      '/w/shop/migrations/0002_qty.py',
      '/w/shop/migrations/0003_noqa.py',
    ]);
  });

  it('checks the files it is given, with the usual suppressions, and only the migration rules', () => {
    const { ws, project } = setup();
    const a = analyzeMigrations(ws, project, 'all', { djangoVersion: '5.2' });
    assert.deepEqual(
      a.findings.map((f) => `${f.code} ${f.loc.file}`),
      ['DDM001 /w/shop/migrations/0002_qty.py'],
    );
    assert.deepEqual(
      a.suppressed.map((f) => f.code),
      ['DDM001'],
    );
    assert.equal(a.findings[0]!.checklist, 'migrations-reviewed');
    assert.ok(a.files.has('/w/shop/migrations/0002_qty.py'));
    assert.deepEqual([...a.outcomes.keys()].sort(), [...MIGRATION_RULE_CODES].sort());
    assert.equal(a.outcomes.get('DDM001')?.state, 'failing');
    const one = analyzeMigrations(ws, project, ['/w/shop/migrations/0001_initial.py'], { djangoVersion: '5.2' });
    assert.deepEqual(one.findings, []);
    assert.equal(one.outcomes.get('DDM001')?.state, 'not-applicable');
  });

  it('adds nothing to a project analysis that is not asked for migrations', () => {
    const { ws, project } = setup();
    const a = analyzeProject(ws, project, { djangoVersion: '5.2' });
    assert.ok(!a.findings.some((f) => f.code.startsWith('DDM')));
    assert.ok(!MIGRATION_RULE_CODES.some((c) => a.outcomes.has(c)));
    const both = analyzeProject(ws, project, { djangoVersion: '5.2', migrations: 'all' });
    assert.ok(both.findings.some((f) => f.code === 'DDM001'));
    assert.ok(both.findings.some((f) => f.code.startsWith('DDH')));
  });
});
