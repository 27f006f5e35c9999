// The environment files a script writes (readers/process/envFileWrites.ts), read without running
// it: `cat <<EOF > .env`, `exec 3> .env` then `cat 1>&3 <<EOF`, `echo "X=…" >> "$ENV_FILE"`; each
// variable generated (set, unknown), a default of the shell's variable, the shell's variable, or a
// literal. And the shell reader's redirections and heredoc bodies they rest on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envFilesWritten, scriptCopies } from '../../server/src/analysis/readers/process/envFileWrites';
import { modulesWritten } from '../../server/src/analysis/readers/process/moduleWrites';
import { envsubstAsPython, placeholderVariable } from '../../server/src/analysis/base/shellExpansions';
import { MappedText, tokenize } from '../../server/src/analysis/readers/shell';

function written(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [file, vars] of envFilesWritten('/w/gen.sh', text)) {
    out[file] = {};
    for (const v of vars.values())
      out[file][v.name] =
        `${v.kind}${v.variable ? ` ${v.variable}` : ''}${v.kind === 'literal' || v.kind === 'default' ? ` ${v.value}` : ''}${v.conditional ? ' (if)' : ''}`;
  }
  return out;
}

describe('the shell reader keeps redirections and heredoc bodies', () => {
  it('records the descriptor, the operator, the target and the body', () => {
    const text = "exec 3> .env\ncat 1>&3 <<EOF\nA=$X\nEOF\ncat <<'END' >> out\nB=1\nEND\n";
    const cmds = tokenize(MappedText.slice('/w/s', text));
    assert.deepEqual(
      cmds.map((c) =>
        (c.redirects ?? []).map(
          (r) => `${r.fd ?? ''}${r.op}${r.target.text}${r.heredoc ? `[${r.heredoc.body.text}|${r.heredoc.expands}]` : ''}`,
        ),
      ),
      [['3>.env'], ['1>&3', '<<EOF[A=$X\n|true]'], ['<<END[B=1\n|false]', '>>out']],
    );
  });
});

describe('the environment files a script writes', () => {
  it('reads a heredoc written through a descriptor exec opened', () => {
    const text = [
      'exec 3> .env',
      'cat 1>&3 <<EOF',
      '# comment',
      'SECRET_KEY=`quote "${SECRET_KEY:-$(openssl rand -base64 42)}"` # generated',
      'DB_PASSWORD=${DB_PASSWORD:-$(head -c 32 /dev/urandom | base64)}',
      'EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.smtp.EmailBackend}',
      'HOSTS=$HOSTS',
      'APP_URL=http://${HOST:-localhost}:8000',
      'MODE=production # inline comment',
      'EOF',
      'if [ -n "$ADMIN" ]; then',
      '  echo "ADMIN=$ADMIN" 1>&3',
      'fi',
    ].join('\n');
    assert.deepEqual(written(text), {
      '.env': {
        SECRET_KEY: 'generated',
        DB_PASSWORD: 'generated',
        EMAIL_BACKEND: 'default EMAIL_BACKEND django.core.mail.backends.smtp.EmailBackend',
        HOSTS: 'environment HOSTS',
        APP_URL: 'computed',
        MODE: 'literal production',
        ADMIN: 'environment ADMIN (if)',
      },
    });
  });

  it('reads echo lines into a file named by a variable, and a quoted heredoc as written', () => {
    const text = [
      'ENV_FILE=deploy/.env',
      'echo "SECRET_KEY=$(python -c \'import secrets; print(secrets.token_urlsafe(50))\')" > "$ENV_FILE"',
      "echo 'DEBUG=False' >> $ENV_FILE",
      'echo DB_PASSWORD=hunter2 >> $ENV_FILE',
      "cat > .env.prod <<'EOF'",
      'SECRET_KEY=$NOT_EXPANDED',
      'EOF',
    ].join('\n');
    assert.deepEqual(written(text), {
      'deploy/.env': { SECRET_KEY: 'generated', DEBUG: 'literal False', DB_PASSWORD: 'literal hunter2' },
      '.env.prod': { SECRET_KEY: 'literal $NOT_EXPANDED' },
    });
  });

  it('starts again when a later command truncates the file, and ignores what it cannot read', () => {
    const text = ['echo "A=1" > .env', 'echo "B=2" > .env', 'cat saved >> .env', 'printf "%s" x > .env2', ''].join('\n');
    assert.deepEqual(written(text), { '.env': { B: 'literal 2' }, '.env2': {} });
  });

  it('never throws on odd input', () => {
    for (const t of ['>', 'cat <<', 'exec 3>', 'cat 1>&9 <<EOF\nA=${', 'echo "A=$(" > f', '\u0000>\n<<<'])
      assert.doesNotThrow(() => envFilesWritten('/w/x.sh', t));
  });
});

describe('the Python modules a script writes (readers/process/moduleWrites.ts)', () => {
  it('reads a heredoc cat copies to a .py file, its command substitutions marked in place', () => {
    const text = [
      'if [ ! -f /app/mysite/overrides.py ]; then',
      '  cat > /app/mysite/overrides.py <<EOF',
      'DEBUG = False',
      "SECRET_KEY = '$(tr -dc 'a-z0-9' < /dev/urandom | head -c 50)'",
      "NAME = '$(hostname)'",
      "PASSWORD = '${DB_PASSWORD}'",
      'EOF',
      'fi',
    ].join('\n');
    const w = modulesWritten('/w/entrypoint.sh', text).get('/app/mysite/overrides.py');
    assert.equal(w?.length, 1);
    const body = w![0]!.body!;
    assert.equal(w![0]!.expands, true);
    assert.equal(w![0]!.conditional, true);
    const lines = body.text.split('\n');
    assert.equal(lines[0], 'DEBUG = False');
    assert.match(lines[1]!, /^SECRET_KEY = '\$\(random_+\)'$/);
    assert.match(lines[2]!, /^NAME = '\$\(_+\)'$/);
    assert.equal(lines[3], "PASSWORD = '${DB_PASSWORD}'");
    // every character keeps its place in the script
    assert.equal(lines[1]!.length, "SECRET_KEY = '$(tr -dc 'a-z0-9' < /dev/urandom | head -c 50)'".length);
    const at = body.loc(body.text.indexOf('DEBUG'), body.text.indexOf('DEBUG') + 5);
    assert.equal(text.slice(at.start, at.end), 'DEBUG');
  });

  it('strips a <<- body of its tabs, keeps a quoted one as written, and knows no text for other writes', () => {
    const text = "cat > a.py <<-EOF\n\tX = 1\n\tEOF\ncat > b.py <<'EOF'\nY = '$(date)'\nEOF\necho 'Z = 2' >> b.py\n";
    const all = modulesWritten('/w/s.sh', text);
    assert.equal(all.get('a.py')?.[0]?.body?.text, 'X = 1\n');
    const b = all.get('b.py')!;
    assert.equal(b[0]!.body?.text, "Y = '$(date)'\n");
    assert.equal(b[0]!.expands, false);
    assert.equal(b[1]!.body, undefined);
    assert.equal(b[1]!.truncates, false);
  });
});

describe('a template envsubst renders into a Python module', () => {
  it('names the template envsubst reads, by redirection or from cat', () => {
    const text =
      "envsubst < /app/app/settings.py.in > /app/app/settings.py\ncat local.py.tmpl | envsubst > mysite/local.py\nenvsubst '$A' < x.py.in > x.py\n";
    const all = modulesWritten('/w/entrypoint.sh', text);
    assert.equal(all.get('/app/app/settings.py')?.[0]?.envsubstOf, '/app/app/settings.py.in');
    assert.equal(all.get('mysite/local.py')?.[0]?.envsubstOf, 'local.py.tmpl');
    // (a SHELL-FORMAT argument limits the variables: not read as a render of every placeholder)
    assert.equal(all.get('x.py')?.[0]?.envsubstOf, undefined);
  });

  it('writes each placeholder outside strings and comments as a name of its length', () => {
    const text = 'DEBUG = ${DEBUG}\nN = $WORKERS + 1\nK = \'${SECRET_KEY}\'  # ${NOT}\nR = r\'^a$\' """$X\n${Y}"""\n';
    const out = envsubstAsPython(text);
    assert.equal(out.length, text.length);
    assert.equal(out, 'DEBUG = __DEBUG_\nN = _WORKERS + 1\nK = \'${SECRET_KEY}\'  # ${NOT}\nR = r\'^a$\' """$X\n${Y}"""\n');
    assert.equal(placeholderVariable('__DEBUG_'), 'DEBUG');
    assert.equal(placeholderVariable('_WORKERS'), 'WORKERS');
    assert.equal(placeholderVariable('debug'), undefined);
    assert.equal(envsubstAsPython('A = ${A}\nB = ${B}\n', new Set(['B'])), 'A = ${A}\nB = __B_\n');
  });
});

describe('the files a script copies (scriptCopies)', () => {
  it('reads cp with its options, and whether a later command touches the copy', () => {
    const text = [
      '[ -f env/.env.prod ] || cp -n env/.env.prod.example env/.env.prod',
      'cp settings/local.example.py settings/local.py',
      'sed -i "s/^SECRET_KEY=.*/SECRET_KEY=x/" settings/local.py',
      'cp "$SRC" out.env',
      'docker compose up -d',
    ].join('\n');
    assert.deepEqual(
      scriptCopies('/w/setup.sh', text).map((c) => `${c.src} ${c.dest} ${c.editedAfter}`),
      ['env/.env.prod.example env/.env.prod false', 'settings/local.example.py settings/local.py true'],
    );
  });

  it('counts an append to the copy as an edit', () => {
    const text = 'cp .env.example .env\necho "SECRET_KEY=$(openssl rand -hex 32)" >> .env\n';
    assert.deepEqual(
      scriptCopies('/w/setup.sh', text).map((c) => c.editedAfter),
      [true],
    );
  });
});

describe('sed -i rewriting NAME lines of a file the script writes', () => {
  it('gives each rewritten variable the value its replacement writes, with any delimiter', () => {
    const text = [
      'cat <<EOF > .env',
      'A=1',
      'B=2',
      'C=3',
      'D=4',
      'E=5',
      'EOF',
      'sed -i -e s,^A=.*,A=$A_SECRET, -e "s|^B=.*|B=${B:-two}|" .env',
      "sed -i 's/^C=.*/C=three/; s/^D=.*/D=$D/' .env",
      'sed -i.bak --expression=s@^E=.*@E=x\\&y@ .env',
      'sed -i s/^F=.*/F=new/ .env',
      '',
    ].join('\n');
    assert.deepEqual(written(text), {
      '.env': {
        A: 'environment A_SECRET',
        // (the shell gives sed B's value, else two)
        B: 'computed',
        C: 'literal three',
        // (single quotes: the shell fills nothing in; sed's `&`: not a value written here)
        D: 'computed',
        E: 'computed',
      },
    });
  });

  it('leaves other expressions, other files and sed without -i alone', () => {
    const text = [
      'cat <<EOF > .env',
      'A=1',
      'B=2',
      'EOF',
      'sed -i s/A=.*/A=x/ .env',
      'sed s/^B=.*/B=y/ .env > out',
      'sed -i s/^B=.*/B=z/ other.env',
      'sed -i -f edits.sed .env',
      '',
    ].join('\n');
    // (`> out`: a file written, nothing read of it)
    assert.deepEqual(written(text), { '.env': { A: 'literal 1', B: 'literal 2' }, out: {} });
  });
});
