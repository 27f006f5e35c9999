"""The Python side of the parity test (test/parity/parity.test.ts): loads settings modules with the
real Django and prints the ids its `check --deploy` reports.

    python3 driver.py < cases.json > results.json

stdin: a JSON list of {"root": folder put on sys.path, "settings": dotted module, "env": {NAME: value}}.
stdout: a JSON list, one entry per case in the same order: {"ids": [...], "django": "3.2.25"} or
{"error": "what went wrong"}.

Each case runs in its own forked process (Django can be set up once per process), under the
product's "defaults semantics": the environment is empty, so a lookup with a default yields that
default, and a lookup without one (os.environ["X"], os.environ.get("X"), os.getenv("X"), env("X"))
is a required variable, filled with a strong value (or the case's own "env" value) as a deployment
would. Apps in INSTALLED_APPS that cannot be imported get empty stand-in packages; the libraries a
settings module reads the environment through get stand-ins from standins/ (ours, not theirs).
Nothing here executes code other than the fixture's settings module and Django itself.
"""
import importlib
import importlib.util
import json
import os
import shutil
import signal
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
STANDINS = os.path.join(HERE, "standins")
# A deployment's value for a required variable: long, varied, no django-insecure- prefix, so that it
# passes security.W009 like the product's "safe unknown"; not a truthy word for a bool cast.
FILLED = "parity-required-variable-7Qx2Lm9Vb4Nc8Zr1Ks6Wd3Hf5Tg0Jy"
CASE_SECONDS = 30
PRELOAD = ("django", "django.core.checks", "django.db.models", "django.forms", "django.urls", "django.template",
           "django.contrib.admin", "django.contrib.admin.checks", "django.contrib.auth.checks",
           "django.contrib.staticfiles.checks", "django.contrib.sessions.middleware", "django.middleware.csrf")
MISSING = object()


class FilledEnviron(dict):
    """os.environ under defaults semantics: nothing set; a lookup without a default is filled."""

    def __init__(self, filled):
        super().__init__()
        self.filled = filled
        self.filling = True

    def fill(self, key):
        if not self.filling:
            raise KeyError(key)
        return self.filled.get(key, FILLED)

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.fill(key)

    def __contains__(self, key):
        # `"DYNO" in os.environ`: the case's own values are set (the platform sets them); nothing else is
        if dict.__contains__(self, key):
            return True
        return self.filling and key in self.filled

    def copy(self):
        # os.environ.copy(): a copy that lookups fill the same way (a plain dict would not)
        c = FilledEnviron(self.filled)
        c.filling = self.filling
        c.update(self)
        return c

    def get(self, key, default=MISSING):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if default is not MISSING or not self.filling:
            return None if default is MISSING else default
        return self.fill(key)


def standin_apps(installed, where):
    """Empty packages for INSTALLED_APPS entries that cannot be imported (third-party apps)."""
    made = []
    for entry in installed:
        if not isinstance(entry, str) or not entry:
            continue
        top = entry.split(".")[0]
        try:
            found = importlib.util.find_spec(top) is not None
        except (ImportError, ValueError):
            found = False
        if found and top not in made:
            continue
        parts = entry.split(".")
        if len(parts) > 1 and parts[-1][:1].isupper():
            # an AppConfig path (pkg.apps.PkgConfig): the class, in its module, for the package
            module, cls = parts[:-1], parts[-1]
            name = ".".join(module[:-1]) if len(module) > 1 and module[-1] == "apps" else ".".join(module)
            body = "from django.apps import AppConfig\n\n\nclass %s(AppConfig):\n    name = %r\n" % (cls, name)
        else:
            module, body = parts, ""
        path = where
        for i, part in enumerate(module):
            path = os.path.join(path, part)
            os.makedirs(path, exist_ok=True)
            init = os.path.join(path, "__init__.py")
            if not os.path.exists(init):
                with open(init, "w") as f:
                    f.write(body if i == len(module) - 1 else "")
            elif i == len(module) - 1 and body:
                with open(init, "a") as f:
                    f.write("\n" + body)
        made.append(top)
    if made:
        sys.path.append(where)
        importlib.invalidate_caches()
    return made


def run_case(case, out):
    """In the forked child: configure Django from the case's settings module, run the checks."""
    signal.alarm(CASE_SECONDS)
    os.dup2(2, 1)  # whatever the settings module prints must not mix with the results
    sys.dont_write_bytecode = True
    environ = FilledEnviron(case.get("env") or {})
    os.environ = environ
    os.getenv = lambda key, default=MISSING: environ.get(key, default)
    sys.path[:0] = [STANDINS, case["root"]]
    import django
    from django.conf import Settings, settings

    settings._wrapped = Settings(case["settings"])  # imports the module, as Django would
    environ.filling = False  # from here on Django itself reads the environment: nothing is set
    where = tempfile.mkdtemp(prefix="ddh-parity-apps-")
    try:
        standins = standin_apps(list(settings.INSTALLED_APPS), where)
        django.setup()
        from django.core import checks

        messages = checks.run_checks(include_deployment_checks=True)
        messages = [m for m in messages if not m.is_silenced()]
        result = {
            "django": django.get_version(),
            "ids": sorted({m.id for m in messages if m.id}),
            "messages": ["%s: %s" % (m.id, m.msg) for m in messages],
            "standins": standins,
        }
    finally:
        shutil.rmtree(where, ignore_errors=True)
    json.dump(result, out)


def main():
    cases = json.load(sys.stdin)
    # loaded once, before the forks (none of these reads the settings): each case then only imports
    # its settings module and sets up its apps
    for name in PRELOAD:
        importlib.import_module(name)

    results = []
    for case in cases:
        fd, path = tempfile.mkstemp(prefix="ddh-parity-", suffix=".json")
        os.close(fd)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                with open(path, "w") as out:
                    run_case(case, out)
            except BaseException:
                with open(path, "w") as out:
                    json.dump({"error": traceback.format_exc(limit=6)}, out)
                code = 1
            finally:
                sys.stdout.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        try:
            with open(path) as f:
                text = f.read()
            results.append(json.loads(text) if text else {"error": "the case's process ended with status %d" % status})
        except ValueError:
            results.append({"error": "the case's process ended with status %d" % status})
        finally:
            os.unlink(path)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
