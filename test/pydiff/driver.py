# The differential test's Python side (test/pydiff/pydiff.test.ts): imports settings modules with
# the real interpreter, as Django does, and prints their upper-case names' values as JSON.
#
#   /usr/bin/python3 test/pydiff/driver.py < jobs.jsonl > results.jsonl
#
# Each input line is one job: {"id", "root", "module", "env": {NAME: value}}. The process
# environment is exactly `env` while the module is imported (with root first on sys.path and as the
# working directory), and every module imported from root is forgotten afterwards, so that jobs do
# not see one another. Each output line: {"id", "settings": {NAME: json}, "env"} or {"id", "error": text}.
# With "fill": true, a variable the module requires (KeyError, django-environ's ImproperlyConfigured,
# decouple's UndefinedValueError naming it) is given a value and the import tried again (up to 20
# times); "env" is then the environment the module was finally imported under.
# A value is given in its JSON form: tuples as lists, sets as lists sorted by their JSON text,
# Path objects (any os.PathLike) as their str; what JSON cannot hold is {"$object": type name}.
# With "stubs": true, third-party modules that are not installed are stand-ins (see StandIns).
import importlib
import json
import os
import re
import signal
import sys

# the libraries settings use, imported once (their own module state is reset per job below)
for lib in ('django', 'django.conf.global_settings', 'environ', 'decouple', 'dj_database_url', 'split_settings.tools', 'pathlib'):
    try:
        importlib.import_module(lib)
    except Exception:  # noqa: BLE001 - a library missing: the jobs that use it fail alone
        pass

import importlib.abc
import importlib.machinery
import types


class Stub:
    """Anything a stand-in module hands out: callable, with any attribute."""

    def __call__(self, *args, **kwargs):
        return Stub()

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return Stub()


class StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return Stub()


class StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """
    With "stubs": true, a module that is neither the project's nor installed is a stand-in (as the
    evaluator assumes the project's third-party packages are installed where it is deployed); the
    project's own missing modules (a local override that is absent) still raise ImportError.
    """

    root = None

    def find_spec(self, fullname, path, target=None):
        if self.root is None:
            return None
        top = fullname.split('.')[0]
        if os.path.exists(os.path.join(self.root, top)) or os.path.exists(os.path.join(self.root, top + '.py')):
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        m = StubModule(spec.name)
        m.__path__ = []
        return m

    def exec_module(self, module):
        pass


STAND_INS = StandIns()
sys.meta_path.append(STAND_INS)

BASELINE = set(sys.modules)
START_DIR = os.getcwd()


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout('the module did not finish in 10 s')


signal.signal(signal.SIGALRM, on_alarm)


def key_text(k):
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return 'true' if k else 'false'
    if isinstance(k, (int, float)):
        return json.dumps(k)
    return None


def to_json(v, depth=0):
    if depth > 20:
        return {'$object': 'too deep'}
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if v == v and v not in (float('inf'), float('-inf')) else {'$object': 'float'}
    if isinstance(v, os.PathLike):
        return os.fspath(v)
    if isinstance(v, (list, tuple)):
        return [to_json(x, depth + 1) for x in v]
    if isinstance(v, (set, frozenset)):
        items = [to_json(x, depth + 1) for x in v]
        return sorted(items, key=lambda x: json.dumps(x, separators=(',', ':'), ensure_ascii=False))
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            t = key_text(k)
            if t is None:
                return {'$object': 'dict with a key JSON cannot hold'}
            out[t] = to_json(x, depth + 1)
        return out
    return {'$object': type(v).__name__}


FILLED = 'pydiff-filled-Xq7vR2mK9pL4sT8wZ3nB6yC1'
REQUIRED = [
    re.compile(r"^KeyError: '([A-Za-z_][A-Za-z0-9_]*)'$"),
    re.compile(r'^ImproperlyConfigured: Set the ([A-Za-z_][A-Za-z0-9_]*) environment variable'),
    re.compile(r'^UndefinedValueError: ([A-Za-z_][A-Za-z0-9_]*) not found'),
]


def run_filling(job):
    env = dict(job.get('env') or {})
    for _ in range(20):
        res = run({**job, 'env': env})
        if 'error' not in res or not job.get('fill'):
            return {**res, 'env': env}
        names = [m.group(1) for m in (r.match(res['error']) for r in REQUIRED) if m]
        if not names or names[0] in env:
            return {**res, 'env': env}
        env[names[0]] = FILLED
    return {**res, 'env': env}


def run(job):
    root = job['root']
    os.environ.clear()
    os.environ.update(job.get('env') or {})
    sys.path.insert(0, root)
    os.chdir(root)
    try:
        import decouple  # its AutoConfig keeps the first .env it found

        decouple.config = decouple.AutoConfig()
    except Exception:  # noqa: BLE001
        pass
    STAND_INS.root = root if job.get('stubs') else None
    signal.alarm(10)
    try:
        mod = importlib.import_module(job['module'])
        signal.alarm(0)
        names = [k for k in dir(mod) if k.isupper()]
        try:
            from django.conf import global_settings
        except Exception:  # noqa: BLE001
            global_settings = None
        # the names bound to global_settings' own objects (`from django.conf.global_settings import *`)
        defaults = [k for k in names if global_settings is not None and getattr(mod, k) is getattr(global_settings, k, object())]
        return {'id': job['id'], 'settings': {k: to_json(getattr(mod, k)) for k in names}, 'defaults': defaults}
    except BaseException as e:  # noqa: BLE001 - SystemExit and the like are the module's answer too
        signal.alarm(0)
        return {'id': job['id'], 'error': f'{type(e).__name__}: {e}'[:500]}
    finally:
        signal.alarm(0)
        STAND_INS.root = None
        os.chdir(START_DIR)
        if sys.path and sys.path[0] == root:
            sys.path.pop(0)
        for name in [n for n in sys.modules if n not in BASELINE]:
            del sys.modules[name]


def main():
    # what a module prints (or a process it starts) goes to stderr: stdout carries the results only
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        job = json.loads(line)
        out.write(json.dumps(run_filling(job), ensure_ascii=False) + '\n')
        out.flush()


if __name__ == '__main__':
    main()
