// The INI and TOML readers against Python's own (issue 29 item 2): seeded random setup.cfg/tox.ini
// texts read by parseIni and by configparser.ConfigParser(interpolation=None) (lower-cased keys, and
// optionxform = str as setuptools sets it), random small pyproject.toml texts read by smol-toml
// (readToml) and by tomllib. Every input is compared: the sections, keys and values, which lines
// are errors and which error strict mode stops at (INI); accepted or rejected, and the values
// (TOML). python3 runs once, with every input in one JSON batch. Skipped only when python3 is absent.
//
// DDH_CONFIG_DIFF_COUNT sets how many INI texts (default 400; half as many TOML texts), and
// DDH_CONFIG_DIFF_SEED the seed (default 29).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { parseIni, type IniDocument } from '../../server/src/analysis/readers/python/ini';
import { readToml } from '../../server/src/analysis/readers/python/dependencies';
import { pick, rng } from '../helpers/random';

const COUNT = Number.parseInt(process.env.DDH_CONFIG_DIFF_COUNT ?? '', 10) || 400;
const SEED = Number.parseInt(process.env.DDH_CONFIG_DIFF_SEED ?? '', 10) || 29;

const PYTHON = `
import configparser, io, json, math, sys, tomllib

def ini(text, keys, strict):
    cp = configparser.ConfigParser(interpolation=None, strict=strict)
    if keys == 'as-written':
        cp.optionxform = str
    error = None
    try:
        cp.read_file(io.StringIO(text, newline=None))
    except configparser.MissingSectionHeaderError as e:
        error = ['missing-section-header', e.lineno]
    except configparser.DuplicateSectionError as e:
        error = ['duplicate-section', e.lineno]
    except configparser.DuplicateOptionError as e:
        error = ['duplicate-option', e.lineno]
    except configparser.ParsingError as e:
        error = ['parsing', [n for n, _ in e.errors]]
    model = {
        'defaults': list(cp._defaults.items()),
        'sections': [[name, list(values.items())] for name, values in cp._sections.items()],
    }
    return {'error': error, 'model': model}

def plain(v):
    if isinstance(v, bool):
        return ['b', v]
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            return ['n', 'nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')]
        return ['n', 0 if v == 0 else v]
    if isinstance(v, str):
        return ['s', v]
    if isinstance(v, list):
        return ['a', [plain(x) for x in v]]
    if isinstance(v, dict):
        return ['t', [[k, plain(x)] for k, x in v.items()]]
    return ['?', str(v)]

def toml(text):
    try:
        return {'ok': plain(tomllib.loads(text))}
    except tomllib.TOMLDecodeError as e:
        return {'error': str(e)}

batch = json.load(sys.stdin)
json.dump({
    'version': sys.version.split()[0],
    'ini': [{'lax': ini(t['text'], t['keys'], False), 'strict': ini(t['text'], t['keys'], True)} for t in batch['ini']],
    'toml': [toml(t) for t in batch['toml']],
}, sys.stdout)
`;

// ---------------------------------------------------------------------------------------------
// generators

/** Python's whitespace, some of which JavaScript's trim() does not strip (\x1c–\x1f, \x85). */
const SPACES = [' ', '  ', '\t', ' \t', '\u00a0', '\u3000', '\f', '\v', '\u2003', '\x1f', '\x85', ' \x1c'];
const SECTION_NAMES = [
  'options',
  'metadata',
  'testenv',
  'tox',
  'testenv:py311',
  'DEFAULT',
  'default',
  'Options',
  ' a b ',
  'sección',
  'Ω',
  'x]y',
  '[z',
  'options.packages.find',
  'tool:pytest',
];
const KEYS = [
  'install_requires',
  'Install_Requires',
  'python_requires',
  'deps',
  'DEPS',
  'package_dir',
  'where',
  'a b',
  'name',
  'Name',
  'clé',
  'ΣΑΣ',
  'İx',
  'x-y',
  'k',
  '%k',
  '',
  '  ',
];
const VALUES = [
  '',
  'Django>=4.2,<5',
  'django-environ',
  'a = b',
  'a: b',
  'x # not a comment',
  'y ; nor this',
  '%(here)s %%',
  'ünïcödé ✓ 𝔘',
  'trailing   ',
  '=lib',
  '[not] a section',
  'tab\there',
  'nbsp\u00a0inside',
  'x\u0085y\u2028z',
  '#hash',
  '\ufeffbom is no space',
  'ends in a separator\x1d',
];
const NEWLINES = ['\n', '\r\n', '\r'];

function iniText(r: () => number): string {
  const lines: string[] = [];
  const indent = (): string => (r() < 0.7 ? '' : pick(r, SPACES));
  const deeper = (): string => pick(r, ['  ', '    ', '\t', ' ', '\u3000', ' \u00a0', '\x85', '\ufeff']);
  const sep = (): string => pick(r, ['=', ' = ', ':', ': ', ' :', '\t=\t', '  =', '=\u3000']);
  const lineCount = 1 + Math.floor(r() * 14);
  // most texts open with a section (after blank lines or comments, sometimes); a few with a stray line
  const start = r();
  if (start < 0.06) lines.push(pick(r, ['stray', 'k = v', '  indented = x']));
  else {
    if (start < 0.2) lines.push(pick(r, ['# header comment', '', '; c', '  ']));
    lines.push(`${indent()}[${pick(r, SECTION_NAMES)}]`);
  }
  /** An option is being read (a continuation line or an empty line goes on with it). */
  let inOption = false;
  for (let i = 0; i < lineCount; i++) {
    const x = r();
    if (x < 0.15) {
      const name = pick(r, SECTION_NAMES);
      lines.push(`${indent()}[${name}]${r() < 0.1 ? pick(r, [' ; c', ' # c', 'junk', ']']) : ''}${r() < 0.2 ? pick(r, SPACES) : ''}`);
      inOption = false;
    } else if (x < 0.5) {
      lines.push(`${r() < 0.9 ? '' : pick(r, SPACES)}${pick(r, KEYS)}${sep()}${pick(r, VALUES)}`);
      inOption = true;
    } else if (x < 0.72) {
      // a continuation line: most of them where one can be
      if (inOption || r() < 0.1) lines.push(`${deeper()}${pick(r, VALUES) || 'cont'}`);
    } else if (x < 0.8) {
      lines.push(`${indent()}${pick(r, ['#', ';'])}${pick(r, [' comment', '', ' k = v', ' [s]'])}`);
    } else if (x < 0.94) {
      lines.push(pick(r, ['', ' ', '\t', '  \t ', '\f', '\v', '\u3000']));
    } else if (x < 0.97) {
      lines.push(`${indent()}${pick(r, ['no delimiter', '[]', 'x', '= nameless', ': nameless'])}`);
    } else {
      lines.push(`${deeper()}[${pick(r, SECTION_NAMES)}]`);
    }
  }
  // one line end for the text, or each its own; sometimes none after the last line
  const nl = r() < 0.2 ? undefined : pick(r, NEWLINES);
  let out = '';
  for (const l of lines) out += l + (nl ?? pick(r, NEWLINES));
  return r() < 0.2 ? out.replace(/[\r\n]+$/, '') : out;
}

const TOML_KEYS = [
  'a',
  'b',
  'name',
  'dependencies',
  '"quoted key"',
  "'literal'",
  '"a.b"',
  'x-y',
  'x_y',
  '1',
  '"é"',
  '"\\u00e9"',
  'tool.poetry',
  'c.d',
];
const TOML_STRINGS = [
  '"plain"',
  '"esc \\" \\\\ \\t \\n \\u00e9 \\U0001F600"',
  "'lit \\ eral'",
  '"""\nmulti\nline"""',
  '"""trim \\\n    me"""',
  "'''\nraw\\n'''",
  '"ünï ✓"',
  '""',
];
const TOML_SCALARS = [
  '1',
  '-17',
  '+3',
  '1_000',
  '0x1F',
  '0o17',
  '0b101',
  '3.5',
  '-0.0',
  '1e3',
  '6.02E+2',
  'inf',
  '-inf',
  'nan',
  'true',
  'false',
];
/** Values neither TOML 1.0 nor TOML 1.1 accepts. */
const TOML_BAD_VALUES = ['"bad \\q escape"', '"unterminated', '01', '1__0', '.5', '0x', 'True', "'''a''''''"];

/**
 * A TOML text in two spellings: `v10` in TOML 1.0 (what Python 3.11's tomllib reads), `v11` the same
 * document with some of TOML 1.1's new syntax (smol-toml reads TOML 1.1): a trailing comma or
 * newlines in an inline table, the \e and \xHH escapes.
 */
type Twin = { v10: string; v11: string };
const same = (s: string): Twin => ({ v10: s, v11: s });

function tomlValue(r: () => number, depth: number): Twin {
  const x = r();
  if (x < 0.03) return same(pick(r, TOML_BAD_VALUES));
  if (x < 0.3) return same(pick(r, TOML_STRINGS));
  if (x < 0.35)
    return pick(r, [
      { v10: '"esc \\u001B"', v11: '"esc \\e"' },
      { v10: '"\\u00E9t\\u00e9"', v11: '"\\xE9t\\xe9"' },
    ]);
  if (x < 0.65 || depth > 2) return same(pick(r, TOML_SCALARS));
  if (x < 0.85) {
    const n = Math.floor(r() * 4);
    const items = Array.from({ length: n }, () => tomlValue(r, depth + 1));
    const sep = pick(r, [', ', ',', ',\n  ', ' , ']);
    const comma = r() < 0.3 ? ',' : '';
    return { v10: `[${items.map((i) => i.v10).join(sep)}${comma}]`, v11: `[${items.map((i) => i.v11).join(sep)}${comma}]` };
  }
  const n = Math.floor(r() * 3);
  const items = Array.from({ length: n }, () => {
    const k = pick(r, TOML_KEYS);
    const v = tomlValue(r, depth + 1);
    return { v10: `${k} = ${v.v10}`, v11: `${k} = ${v.v11}` };
  });
  const v10 = `{${items.map((i) => i.v10).join(', ')}}`;
  const y = r();
  // TOML 1.1 only: a trailing comma, newlines between the pairs
  if (n > 0 && y < 0.15) return { v10, v11: `{${items.map((i) => i.v11).join(', ')},}` };
  if (n > 0 && y < 0.25) return { v10, v11: `{\n  ${items.map((i) => i.v11).join(',\n  ')}\n}` };
  return { v10, v11: `{${items.map((i) => i.v11).join(', ')}}` };
}

function tomlText(r: () => number): Twin {
  const lines: Twin[] = [];
  const lineCount = 1 + Math.floor(r() * 10);
  for (let i = 0; i < lineCount; i++) {
    const x = r();
    if (x < 0.15)
      lines.push(
        same(
          `${r() < 0.2 ? ' ' : ''}[${pick(r, ['project', 'tool.poetry', 'tool.poetry.dependencies', 'packages', 'a', 'a.b', '"q.k"', 'tool . setuptools'])}]`,
        ),
      );
    else if (x < 0.2) lines.push(same(`[[${pick(r, ['tool.poetry.packages', 'a', 'p'])}]]`));
    else if (x < 0.8) {
      const head = `${pick(r, TOML_KEYS)}${pick(r, [' = ', '=', '\t=\t'])}`;
      const v = tomlValue(r, 0);
      const tail = r() < 0.2 ? ' # c' : '';
      lines.push({ v10: head + v.v10 + tail, v11: head + v.v11 + tail });
    } else if (x < 0.96) lines.push(same(pick(r, ['# comment', '', '  ', '\t# x'])));
    else lines.push(same(pick(r, ['junk', 'a = ', '= 1', '[x', 'a = 1 2', '[a]]', 'a.b = 1'])));
  }
  const nl = pick(r, ['\n', '\r\n']);
  const end = r() < 0.8 ? nl : '';
  // a newline inside a value (an array's, an inline table's, a multi-line string's) is the text's newline
  const text = (which: 'v10' | 'v11'): string => lines.map((l) => l[which].replaceAll('\n', nl)).join(nl) + end;
  return { v10: text('v10'), v11: text('v11') };
}

// ---------------------------------------------------------------------------------------------
// the models compared

type Model = { defaults: [string, string][]; sections: [string, [string, string][]][] };
type PyIni = { error: null | [string, number | number[]]; model: Model };

function modelOf(doc: IniDocument): Model {
  return {
    defaults: [...doc.defaults.values()].map((v) => [v.key, v.value]),
    sections: [...doc.sections.values()].map((s) => [s.name, [...s.values.values()].map((v): [string, string] => [v.key, v.value])]),
  };
}

/** What configparser raises on a text (lax: strict=False; strict: its default). */
function errorOf(doc: IniDocument, strict: boolean): PyIni['error'] {
  const missing = doc.problems.find((p) => p.kind === 'missing-section-header');
  if (missing) return ['missing-section-header', missing.line];
  if (strict) {
    const dup = doc.problems.find((p) => p.kind === 'duplicate-section' || p.kind === 'duplicate-option');
    if (dup) return [dup.kind, dup.line];
  }
  const parsing = doc.problems.filter((p) => p.kind === 'parsing').map((p) => p.line);
  return parsing.length ? ['parsing', parsing] : null;
}

type Plain = [string, unknown];

function plain(v: unknown): Plain {
  if (typeof v === 'boolean') return ['b', v];
  if (typeof v === 'number') return ['n', Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v === 0 ? 0 : v];
  if (typeof v === 'bigint') return ['n', Number(v)];
  if (typeof v === 'string') return ['s', v];
  if (Array.isArray(v)) return ['a', v.map(plain)];
  if (v && typeof v === 'object' && !(v instanceof Date)) return ['t', Object.entries(v).map(([k, x]) => [k, plain(x)])];
  return ['?', String(v)];
}

/** Tables compared with their keys sorted (a JavaScript object lists integer-like keys first). */
function sorted(p: Plain): Plain {
  if (p[0] === 'a') return ['a', (p[1] as Plain[]).map(sorted)];
  if (p[0] === 't')
    return [
      't',
      (p[1] as [string, Plain][]).map(([k, x]): [string, Plain] => [k, sorted(x)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ];
  return p;
}

// ---------------------------------------------------------------------------------------------

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const noPython =
  python.error || python.status !== 0 ? `python3 is not available (${python.error?.message ?? python.stderr.trim()})` : undefined;

type PyToml = { ok: Plain } | { error: string };

describe('INI and TOML readers against Python (configparser, tomllib)', { skip: noPython }, () => {
  const r = rng(SEED);
  const ini = Array.from({ length: COUNT }, (_, i) => ({
    text: iniText(r),
    keys: i % 3 === 2 ? ('as-written' as const) : ('lower' as const),
  }));
  const toml = Array.from({ length: Math.ceil(COUNT / 2) }, () => tomlText(r));
  // tomllib reads every TOML 1.0 text, and the TOML 1.1 spellings (for the record only)
  const tomlBatch = [...toml.map((t) => t.v10), ...toml.filter((t) => t.v11 !== t.v10).map((t) => t.v11)];
  let out: { version: string; ini: { lax: PyIni; strict: PyIni }[]; toml: PyToml[] };

  before(() => {
    const run = spawnSync('python3', ['-c', PYTHON], {
      input: JSON.stringify({ ini, toml: tomlBatch }),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.equal(run.status, 0, run.stderr);
    out = JSON.parse(run.stdout);
  });

  it(`${COUNT} setup.cfg/tox.ini texts (seed ${SEED}): configparser's sections, keys, values and errors`, (t) => {
    const count = { accepted: 0, parsing: 0, missing: 0, duplicates: 0 };
    const differences: string[] = [];
    ini.forEach((input, i) => {
      const doc = parseIni(input.text, { keys: input.keys });
      const py = out.ini[i]!;
      const mine = { lax: errorOf(doc, false), strict: errorOf(doc, true), model: modelOf(doc) };
      try {
        assert.deepEqual(mine.lax, py.lax.error, 'the error (strict=False)');
        assert.deepEqual(mine.strict, py.strict.error, 'the error (strict=True)');
        // after a missing section header configparser has read nothing; after parsing errors, all the rest
        if (py.lax.error?.[0] !== 'missing-section-header') assert.deepEqual(mine.model, py.lax.model, 'the model (strict=False)');
      } catch (e) {
        differences.push(`input ${i} (keys ${input.keys}) ${JSON.stringify(input.text)}: ${(e as Error).message}`);
      }
      const kind = py.strict.error?.[0];
      if (!kind) count.accepted++;
      else if (kind === 'parsing') count.parsing++;
      else if (kind === 'missing-section-header') count.missing++;
      else count.duplicates++;
    });
    t.diagnostic(
      `Python ${out.version}: ${ini.length} INI texts: ${count.accepted} accepted by strict configparser, ${count.duplicates} with a section or option given twice, ${count.parsing} with lines that are not options, ${count.missing} with no section first; ${differences.length} differences`,
    );
    assert.deepEqual(differences.slice(0, 5), []);
  });

  it(`${toml.length} pyproject.toml texts (seed ${SEED}): smol-toml and tomllib accept the same and read the same`, (t) => {
    let accepted = 0;
    let v11 = 0;
    let v11RejectedByPython = 0;
    const differences: string[] = [];
    const compare = (text: string, py: PyToml, what: string): void => {
      const mine = readToml(text);
      const where = `${what} ${JSON.stringify(text)}`;
      if ('error' in mine || 'error' in py) {
        if ('error' in mine !== 'error' in py)
          differences.push(
            `${where}: smol-toml ${'error' in mine ? `rejects it (${mine.error})` : 'accepts it'}, tomllib ${'error' in py ? `rejects it (${py.error})` : 'accepts it'}`,
          );
        return;
      }
      try {
        assert.deepEqual(sorted(plain(mine.doc)), sorted(py.ok));
      } catch (e) {
        differences.push(`${where}: ${(e as Error).message}`);
      }
    };
    let k = toml.length;
    toml.forEach((text, i) => {
      const py = out.toml[i]!;
      if ('ok' in py) accepted++;
      compare(text.v10, py, `input ${i}`);
      if (text.v11 === text.v10) return;
      // the TOML 1.1 spelling reads as the TOML 1.0 one does
      v11++;
      if ('error' in out.toml[k++]!) v11RejectedByPython++;
      compare(text.v11, py, `input ${i} in TOML 1.1`);
    });
    t.diagnostic(
      `Python ${out.version}: ${toml.length} TOML texts, ${accepted} accepted by tomllib; ${v11} also spelt with TOML 1.1 syntax (read by smol-toml as the TOML 1.0 spelling by tomllib; tomllib itself rejects ${v11RejectedByPython} of them); ${differences.length} differences`,
    );
    assert.deepEqual(differences.slice(0, 5), []);
  });
});
