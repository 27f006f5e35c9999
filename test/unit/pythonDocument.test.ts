// The statement-level incremental re-parse must give exactly the tree a full parse gives.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { before, describe, it } from 'node:test';
import type { PyNode } from '../../server/src/analysis/parse/ast';
import { computeLineStarts, PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { pick, rng } from '../helpers/random';

/** The tree as comparable text: node types and absolute ranges, depth-first. */
function shape(doc: PythonDocument): string {
  const out: string[] = [];
  const visit = (n: PyNode, base: number, depth: number): void => {
    out.push(`${'  '.repeat(depth)}${n.type}@${base + n.start}-${base + n.end}${n.field ? ':' + n.field : ''}`);
    for (const c of n.children) visit(c, base, depth + 1);
  };
  for (const c of doc.chunks) visit(c.node, c.base, 0);
  return out.join('\n');
}

/** Every node of the tree as comparable text: type, absolute range, field, named, error and leaf text. */
function full(doc: PythonDocument): string {
  const out: string[] = [];
  const visit = (n: PyNode, base: number): void => {
    out.push(`${n.type}@${base + n.start}-${base + n.end}:${n.field}:${n.named}:${n.error}:${n.text}`);
    for (const c of n.children) visit(c, base);
  };
  for (const c of doc.chunks) visit(c.node, c.base);
  return out.join('\n');
}

const SOURCE = `"""Settings."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY", "dev")
DEBUG = True

# hosts
ALLOWED_HOSTS = [
    "example.com",
    "www.example.com",
]

if not DEBUG:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
else:
    pass

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "db",
    }
}

def helper(x):
    return x * 2

try:
    from .local import *
except ImportError:
    pass
`;

const INSERTS = [
  'x',
  ' ',
  '\n',
  '(',
  ')',
  '[',
  ']',
  '"',
  "'",
  '"""',
  '#',
  ':',
  '=',
  ',',
  '\\',
  '    ',
  'if x:\n',
  'else:\n',
  'A = 1\n',
  '\n    b = 2',
  '{',
  '}',
  'é',
  '😀',
  '\r\n',
];

describe('PythonDocument', () => {
  before(async () => {
    await loadParser();
  });

  for (const incremental of [false, true]) {
    it(`matches a full parse of error-free text after every one of 3,000 random edits (${incremental ? 'with' : 'without'} tree-sitter's tree)`, () => {
      const r = rng(20261122);
      let regionUpdates = 0;
      for (let round = 0; round < 30; round++) {
        const doc = PythonDocument.parse(SOURCE, { incremental });
        for (let i = 0; i < 100; i++) {
          const text = doc.text;
          // Editors never split a surrogate pair; neither do these edits.
          const notInPair = (o: number): number => (o > 0 && o < text.length && /[\udc00-\udfff]/.test(text[o]!) ? o + 1 : o);
          const start = notInPair(Math.floor(r() * (text.length + 1)));
          const del = r() < 0.4 ? Math.floor(r() * 6) : 0;
          const end = notInPair(Math.min(text.length, start + del));
          const ins = r() < 0.8 ? pick(r, INSERTS) : '';
          // every other round gives the text after the edit, as the language server does (its buffer's)
          const edited = text.slice(0, start) + ins + text.slice(end);
          doc.applyEdit(start, end, ins, round % 2 === 1 ? edited : undefined);
          if (doc.lastUpdate === 'region') regionUpdates++;
          const full = PythonDocument.parse(doc.text);
          assert.equal(doc.text, edited);
          assert.equal(doc.text, full.text);
          // Error-free text parses exactly as a full parse would; errors are never lost.
          if (!full.hasError)
            assert.equal(shape(doc), shape(full), `round ${round}, edit ${i}: ${JSON.stringify({ start, end, ins })}\n${doc.text}`);
          else assert.ok(doc.hasError, `round ${round}, edit ${i}: a syntax error was lost`);
        }
      }
      assert.ok(regionUpdates > 0);
    });
  }

  it('gives the tree a full parse gives (every node, its text) after keystrokes inside string literals, most without parsing', () => {
    // an edit inside a string's content that cannot change its tokens keeps the statement's tree
    // (editInString); every other one is parsed as before
    const long = [
      'import environ',
      'env = environ.FileAwareEnv(',
      ...Array.from({ length: 120 }, (_, i) => `    DD_KEY_${i}=(str, "default-${i} value"),  # a comment "${i}"`),
      '    DD_ESCAPED=(str, "a\\nb"),',
      '    DD_FORMAT=(str, f"{x}-y"),',
      '    DD_EMPTY=(str, ""),',
      ')',
      '"""A docstring-like string."""',
      'X = "after"',
      "Y = 'single' + '''triple'''",
      '',
    ].join('\n');
    const r = rng(20261123);
    let strings = 0;
    for (const incremental of [false, true]) {
      const doc = PythonDocument.parse(long, { incremental });
      for (let i = 0; i < 400; i++) {
        const text = doc.text;
        // a position just inside a quote (a string's content, or a comment's), or anywhere now and then
        const quotes = [...text.matchAll(/["']/g)].map((m) => m.index!);
        const q = quotes[Math.floor(r() * quotes.length)]!;
        const start = r() < 0.9 ? q + 1 + Math.floor(r() * 3) : Math.floor(r() * text.length);
        const end = Math.min(text.length, start + (r() < 0.3 ? Math.floor(r() * 3) : 0));
        const ins = r() < 0.8 ? pick(r, ['x', ' ', 'é', '"', "'", '\\', '{', '}', '\n', 'ab']) : '';
        doc.applyEdit(start, end, ins);
        if (doc.lastUpdate === 'string') strings++;
        const parsed = PythonDocument.parse(doc.text);
        if (!parsed.hasError) assert.equal(full(doc), full(parsed), `edit ${i}: ${JSON.stringify({ start, end, ins })}`);
        else {
          assert.ok(doc.hasError, `edit ${i}: a syntax error was lost`);
          doc.replaceAll(long);
        }
      }
    }
    assert.ok(strings > 100, `edits inside strings kept the tree (${strings} times)`);
  });

  it('keeps the tree when typing beside plain characters of a string holding quotes, braces or a raw backslash, as a full parse gives it', () => {
    // the content is one leaf whatever it holds (escapes are nodes of their own): only what an
    // edit brings together can make another token, so an edit beside a plain character keeps the
    // tree and one beside a quote, a backslash or an f-string's brace is parsed again
    const source = [
      `MESSAGE = f"Fields definition '{value}' for '{key}' is not valid. It needs {{a}} list {type(value)}."`,
      `QUOTED = "it's 'here' or not"`,
      `LOG = "{levelname} {asctime} {module} {message}"`,
      `RAW = r"^\\d+\\.\\"x\\"$ and \\\\ more"`,
      `SINGLE = 'say "hi" {now} to {{them}}'`,
      `TRIPLE = """one "quoted" line`,
      `and 'another' {x} line with "" two"""`,
      `TRIPLE2 = f'''a 'b' {c} "d" {{e}} '''`,
      `BYTES = rb'a\\'b' + b"c'd"`,
      `T = t"template {x} 'q'"`,
      '',
    ].join('\n');
    assert.equal(PythonDocument.parse(source).hasError, false, 'the source parses');
    let strings = 0;
    let edits = 0;
    for (const seed of [1, 2, 3]) {
      const r = rng(20261125 + seed);
      for (const incremental of [false, true]) {
        const doc = PythonDocument.parse(source, { incremental });
        for (let i = 0; i < 300; i++) {
          const text = doc.text;
          // around a quote, a brace or a backslash, or anywhere now and then
          const marks = [...text.matchAll(/["'{}\\]/g)].map((m) => m.index!);
          const q = marks[Math.floor(r() * marks.length)]!;
          const start = Math.max(0, Math.min(text.length, r() < 0.95 ? q + Math.floor(r() * 5) - 1 : Math.floor(r() * text.length)));
          const end = Math.min(text.length, start + (r() < 0.4 ? Math.floor(r() * 3) : 0));
          const ins = r() < 0.75 ? pick(r, ['x', ' ', 'é', 'ab', '9', '"', "'", '\\', '{', '}']) : '';
          doc.applyEdit(start, end, ins);
          edits++;
          if (doc.lastUpdate === 'string') strings++;
          const parsed = PythonDocument.parse(doc.text);
          if (!parsed.hasError) assert.equal(full(doc), full(parsed), `seed ${seed} edit ${i}: ${JSON.stringify({ start, end, ins })}`);
          else {
            assert.ok(doc.hasError, `seed ${seed} edit ${i}: a syntax error was lost`);
            doc.replaceAll(source);
          }
        }
        doc.dispose();
      }
    }
    assert.ok(strings > edits / 5, `edits beside plain characters kept the tree (${strings} of ${edits})`);
  });

  it('keeps the tree when typing at the start of a message f-string holding quotes, as in DefectDojo', () => {
    const source = `if True:\n    msg = f"Fields definition '{value}' for '{key}' is not valid."\n`;
    const doc = PythonDocument.parse(source, { incremental: true });
    const open = source.indexOf('f"') + 2;
    const middle = source.indexOf('definition') + 3;
    for (const [start, end, ins] of [
      [open, open, 'x'],
      [open, open + 1, ''],
      [middle, middle, 'yz'],
      [middle, middle + 2, ''],
    ] as const) {
      doc.applyEdit(start, end, ins);
      assert.equal(doc.lastUpdate, 'string', JSON.stringify({ start, end, ins }));
      const fresh = PythonDocument.parse(doc.text);
      assert.deepEqual(
        doc.chunks.map((c) => [c.base, c.node]),
        fresh.chunks.map((c) => [c.base, c.node]),
      );
    }
    assert.equal(doc.text, source);
    // beside the quote before {value}: parsed again
    const q = source.indexOf("'{value}");
    doc.applyEdit(q + 1, q + 1, 'z');
    assert.notEqual(doc.lastUpdate, 'string');
    doc.dispose();
  });

  it('types into empty strings and deletes strings to empty without parsing, giving the tree a full parse gives', () => {
    // a parse gives an empty string no content leaf: typing into "" makes one, deleting the last
    // character of a content removes it (DefectDojo's schema has dozens of (str, "") defaults)
    const empties = ['""', "''", 'f""', 'b""', 'r""', 'u""', 'rb""', '""""""', "''''''", '"" "y"', 'f"{y}"', '"a"'];
    const lines = ['import environ', 'env = environ.FileAwareEnv(', ...empties.map((e, i) => `    K${i}=(str, ${e}),`), ')', 'X = ""', ''];
    const source = lines.join('\n');
    for (const incremental of [false, true]) {
      const doc = PythonDocument.parse(source, { incremental });
      let strings = 0;
      let edits = 0;
      for (let round = 0; round < 2; round++) {
        for (const [i, e] of empties.entries()) {
          const key = `K${i}=(str, `;
          // just after the opening quote(s), past the prefix
          const prefix = /^[a-z]*/.exec(e)![0].length;
          const quotes = e.slice(prefix).startsWith('"""') || e.slice(prefix).startsWith("'''") ? 3 : 1;
          const open = doc.text.indexOf(key) + key.length + prefix + quotes;
          for (const [start, end, ins] of [
            [open, open, 'x'],
            [open + 1, open + 1, 'yz'],
            [open, open + 3, ''],
            [open, open, 'w'],
            [open, open + 1, ''],
          ] as const) {
            doc.applyEdit(start, end, ins);
            edits++;
            if (doc.lastUpdate === 'string') strings++;
            const around = JSON.stringify(doc.text.slice(open - 12, open + 6));
            assert.equal(full(doc), full(PythonDocument.parse(doc.text)), `${e}: ${JSON.stringify({ start, end, ins })} in ${around}`);
          }
          assert.equal(doc.text, source, 'back to the source');
        }
      }
      // every keystroke but the two typed before f"{y}"'s interpolation (not an empty string) in each round
      assert.equal(strings, edits - 2 * 2, `kept the tree (${strings} of ${edits})`);
      doc.dispose();
    }
  });

  it('makes every node of an edited document with the hidden class of a parsed node (pyNode), so that the evaluator stays monomorphic', () => {
    // a node copied with `{ ...n }` had a hidden class of its own: the keystroke that made such
    // nodes sent the optimised code reading nodes (field(), namedChildren(), eval…) back to the
    // interpreter. V8's own answer, through --allow-natives-syntax.
    setFlagsFromString('--allow-natives-syntax');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b);') as (a: object, b: object) => boolean;
    const reference = PythonDocument.parse('X = 1\n').chunks[0]!.node;
    const lines = [
      'def helper(name, default=""):',
      '    return [i.strip() for i in default.split(",") if i]',
      '',
      'A = helper("A", "a,b")',
      'B = {"k": ("x", ""), "j": f"{A}"}',
      '',
    ];
    const source = lines.join('\n');
    const r = rng(20261125);
    const doc = PythonDocument.parse(source, { incremental: true });
    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const text = doc.text;
      // inside string contents mostly (the tree is kept and re-made along the edit's path), elsewhere sometimes (parsed)
      const quotes = [...text.matchAll(/"/g)].map((m) => m.index! + 1);
      const at = r() < 0.8 ? pick(r, quotes) : Math.floor(r() * (text.length + 1));
      const del = r() < 0.4 && text[at] !== '"' ? 1 : 0;
      doc.applyEdit(at, at + del, del ? '' : pick(r, ['x', ',', 'y z', '']));
      kinds.add(doc.lastUpdate);
      const visit = (n: PyNode): void => {
        assert.ok(sameMap(n, reference), `edit ${i} (${doc.lastUpdate}): a ${n.type} node has another hidden class`);
        for (const c of n.children) visit(c);
      };
      for (const c of doc.chunks) visit(c.node);
    }
    assert.ok(kinds.has('string'), `the tree kept and re-made: ${[...kinds]}`);
    doc.dispose();
  });

  it('re-parses a region, not the file, for nearly every keystroke of typing and deleting statements', () => {
    // Typing as VS Code does it: auto-closing pairs insert the closer with the opener, and typing
    // the closer over an auto-inserted one just moves past it.
    const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '"': '"' };
    const r = rng(7);
    const doc = PythonDocument.parse(SOURCE, { incremental: true });
    const statements = [
      'CSRF_COOKIE_SECURE = True',
      'X = os.environ.get("X", "a,b").split(",")',
      'LIST = [1, 2, (3, 4)]',
      'D = {"k": f"{BASE_DIR}/x"}',
    ];
    let edits = 0;
    let regions = 0;
    let fulls = 0;
    const count = (): void => {
      edits++;
      // (a keystroke inside a string's content keeps the statement's tree: cheaper than a region)
      if (doc.lastUpdate === 'region' || doc.lastUpdate === 'string') regions++;
      if (doc.lastUpdate === 'full') fulls++;
    };
    for (let round = 0; round < 20; round++) {
      const candidates = doc.lineStarts.filter((o) => o === doc.text.length || /^[A-Z#\n]/.test(doc.text.slice(o, o + 1)));
      const at = pick(r, candidates);
      const stmt = pick(r, statements) + '\n';
      let cursor = at;
      for (const ch of stmt) {
        if (doc.text[cursor] === ch && /[)\]}"]/.test(ch)) {
          cursor++; // over-type the auto-inserted closer
          continue;
        }
        const closer = PAIRS[ch];
        doc.applyEdit(cursor, cursor, closer ? ch + closer : ch);
        count();
        cursor++;
      }
      assert.equal(doc.text.slice(at, at + stmt.length), stmt);
      assert.equal(shape(doc), shape(PythonDocument.parse(doc.text)));
      // delete it again, one character at a time from the end
      for (let i = stmt.length; i > 0; i--) {
        doc.applyEdit(at + i - 1, at + i, '');
        count();
      }
      assert.equal(doc.text, SOURCE);
      assert.equal(shape(doc), shape(PythonDocument.parse(SOURCE)));
    }
    // Deleting backwards through brackets leaves unbalanced states: those take tree-sitter's
    // incremental re-parse. No keystroke needs a full parse.
    assert.ok(regions / edits > 0.75, `${regions} of ${edits} keystrokes were region (or string) updates`);
    assert.equal(fulls, 0);
    doc.dispose();
  });

  it('re-parses only the statement around a keystroke', () => {
    const doc = PythonDocument.parse(SOURCE);
    const at = doc.text.indexOf('SECRET_KEY') + 3;
    doc.applyEdit(at, at, 'z');
    assert.equal(doc.lastUpdate, 'region');
    assert.ok(doc.text.includes('SECzRET_KEY'));
  });

  it('handles an edit that opens a string running to the end of the file', () => {
    const doc = PythonDocument.parse(SOURCE);
    const at = doc.text.indexOf('DEBUG = True');
    doc.applyEdit(at, at, '"""');
    assert.equal(shape(doc), shape(PythonDocument.parse(doc.text)));
    doc.applyEdit(at, at + 3, '');
    assert.equal(shape(doc), shape(PythonDocument.parse(SOURCE)));
  });

  it('keeps the line starts of an edited document equal to those of its text, through edits that join and split \\r\\n pairs', () => {
    const r = rng(20261123);
    const pieces = ['\n', '\r', '\r\n', 'x', 'AB = 1', '\n\n', '"s"', ''];
    for (let round = 0; round < 40; round++) {
      const doc = PythonDocument.parse(SOURCE.replace(/\n/g, round % 3 === 0 ? '\r\n' : round % 3 === 1 ? '\n' : '\r'));
      for (let i = 0; i < 60; i++) {
        void doc.lineStarts; // computed before the edit, so that the edit updates them
        const text = doc.text;
        const start = Math.floor(r() * (text.length + 1));
        const end = Math.min(text.length, start + (r() < 0.5 ? Math.floor(r() * 4) : 0));
        const ins = pick(r, pieces) + (r() < 0.3 ? pick(r, pieces) : '');
        doc.applyEdit(start, end, ins);
        assert.deepEqual(doc.lineStarts, computeLineStarts(doc.text), `round ${round}, edit ${i}: ${JSON.stringify({ start, end, ins })}`);
      }
      doc.dispose();
    }
  });

  it('maps offsets to positions with CRLF and astral characters', () => {
    const doc = PythonDocument.parse('A = "😀"\r\nB = 1\r\n');
    assert.deepEqual(doc.positionAt(doc.text.indexOf('B')), { line: 1, character: 0 });
    // the emoji is two UTF-16 code units, as LSP counts
    assert.deepEqual(doc.positionAt(doc.text.indexOf('"', 5)), { line: 0, character: 7 });
  });

  it('does not keep old versions of the text alive through the syntax trees of statements an edit did not touch', () => {
    // Leaf texts used to be V8 slices of the whole source: every region re-parse pinned that
    // version of the file for as long as its statements stayed unedited (+0.47 MB a keystroke on a
    // 5,000-line module). Typing in 300 different statements of a 2,000-line module must leave
    // nothing behind; with the slices it held about 57 MB.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const lines = ['import os'];
    for (let i = 0; i < 2000; i++)
      lines.push(`SETTING_NUMBER_${i} = os.environ.get("ENVIRONMENT_VARIABLE_${i}", "a_long_default_value_${i}")`);
    const doc = PythonDocument.parse(`${lines.join('\n')}\n`, { incremental: true });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let k = 0; k < 300; k++) {
      const at = doc.text.indexOf(`a_long_default_value_${(k * 7) % 2000}"`) + 3;
      doc.applyEdit(at, at, 'x');
      doc.applyEdit(at, at + 1, '');
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    doc.dispose();
    assert.ok(grown < 15e6, `the heap grew by ${(grown / 1e6).toFixed(1)} MB over 600 edits`);
  });
});
