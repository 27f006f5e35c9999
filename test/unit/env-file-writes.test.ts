// The environment files a script writes (readers/process/envFileWrites.ts), read without running
// it: `cat <<EOF > .env`, `exec 3> .env` then `cat 1>&3 <<EOF`, `echo "X=…" >> "$ENV_FILE"`; each
// variable generated (set, unknown), a default of the shell's variable, the shell's variable, or a
// literal. And the shell reader's redirections and heredoc bodies they rest on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envFilesWritten } from '../../server/src/analysis/readers/process/envFileWrites';
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
