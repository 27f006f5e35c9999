# Runs the real libraries on the cases test/libdiff/libdiff.test.ts generates (stdin: a JSON list),
# printing what each did (stdout: a JSON list in the same order). Debian's python3 with the packages
# test/libdiff/setup.mjs installs: WhiteNoise 6.0, django-cors-headers 3.14, django-csp 3.7 under
# Django 3.2, pydantic 1.10 (its BaseSettings), dynaconf 3.1.7, django-axes 5.39.0 and
# django-storages 1.13.2 (with its boto3 backends, Debian's python3-django-storages-boto3).
#
#   {"lib": "whitenoise", "settings": {...}}             -> the headers its middleware puts on a static
#                                                            file without a hash in its name, and the
#                                                            defaults it took (autorefresh, use_finders)
#   {"lib": "corsheaders", "settings": {...}, "path", "origin", "preflight"?, "checks"?} -> the CORS headers of a
#                                                            GET's response, or of a preflight (OPTIONS
#                                                            with Access-Control-Request-Method)
#   {"lib": "csp", "settings": {...}}                    -> the CSP header's name and value
#   {"lib": "pydantic", "source", "env"}                 -> the fields of Settings() under env, or the
#                                                            fields pydantic rejects
#   {"lib": "dynaconf", "source", "env", "names", "files"?} -> the names' values in the settings module
#                                                            (what Django reads) after it ran under env,
#                                                            its settings files (relative paths: text)
#                                                            beside it (absent: the name is not set)
#   {"lib": "axes", "settings": {...}}                   -> AXES_HANDLER as axes.conf leaves it, and
#                                                            whether the handler it picks has a cache
#   {"lib": "storages", "paths": [...]}                  -> per dotted path: whether it imports, and
#                                                            whether ManifestFilesMixin is in its MRO
#   {"lib": "logging", "logging": {...}, "loggingConfig"?} -> whether Django, configuring logging as
#                                                            django.setup() does in a fresh process, mails
#                                                            ADMINS a 500 logged to django.request
import atexit
import json
import os
import shutil
import sys
import tempfile

import django
from django.conf import settings

STATIC_ROOT = tempfile.mkdtemp(prefix="libdiff-static-")
atexit.register(shutil.rmtree, STATIC_ROOT, ignore_errors=True)
with open(os.path.join(STATIC_ROOT, "app.js"), "w") as f:
    f.write("console.log(1);\n")

settings.configure(
    DEBUG=False,
    SECRET_KEY="libdiff",
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.staticfiles", "corsheaders", "csp", "axes"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    STATIC_URL="/static/",
    STATIC_ROOT=STATIC_ROOT,
    ROOT_URLCONF=__name__,
    USE_TZ=True,
)
django.setup()

urlpatterns = []

from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

RF = RequestFactory()


def ok(request):
    return HttpResponse("ok")


def whitenoise(case):
    from whitenoise.middleware import WhiteNoiseMiddleware

    with override_settings(**case["settings"]):
        mw = WhiteNoiseMiddleware(ok)
        response = mw(RF.get("/static/app.js"))
        if hasattr(response, "close"):
            response.close()
        return {
            "status": response.status_code,
            "cacheControl": response.get("Cache-Control"),
            "allowOrigin": response.get("Access-Control-Allow-Origin"),
            "autorefresh": mw.autorefresh,
            "useFinders": mw.use_finders,
        }


def corsheaders(case):
    from corsheaders.middleware import CorsMiddleware

    with override_settings(**case["settings"]):
        extra = {} if case["origin"] is None else {"HTTP_ORIGIN": case["origin"]}
        if case.get("preflight"):
            # a browser's preflight: OPTIONS naming the method it means to send
            extra["HTTP_ACCESS_CONTROL_REQUEST_METHOD"] = case["preflight"]
            request = RF.options(case["path"], **extra)
        else:
            request = RF.get(case["path"], **extra)
        response = CorsMiddleware(ok)(request)
        result = {
            "status": response.status_code,
            "allowOrigin": response.get("Access-Control-Allow-Origin"),
            "allowCredentials": response.get("Access-Control-Allow-Credentials"),
            "allowMethods": response.get("Access-Control-Allow-Methods"),
        }
        if case.get("checks"):
            # the ids its system checks report for these settings
            from corsheaders.checks import check_settings

            result["checks"] = [e.id for e in check_settings(app_configs=None)]
        return result


def csp(case):
    from csp.middleware import CSPMiddleware

    with override_settings(**case["settings"]):
        response = CSPMiddleware(ok)(RF.get("/"))
        for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
            if name in response:
                return {"header": name, "value": response[name]}
        return {"header": None, "value": None}


def pydantic(case):
    import pydantic as p

    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(case["env"])
    try:
        namespace = {}
        exec(compile(case["source"], "<libdiff>", "exec"), namespace)
        try:
            s = namespace["Settings"]()
        except p.ValidationError as e:
            return {"rejected": sorted({str(err["loc"][0]) for err in e.errors()})}
        except p.env_settings.SettingsError as e:
            # a complex field (a list) whose variable is not JSON: the variable it names
            return {"unparsed": str(e).split('"')[1]}
        return {"values": json.loads(s.json())}
    finally:
        os.environ.clear()
        os.environ.update(saved)


MODULES = tempfile.mkdtemp(prefix="libdiff-dynaconf-")
atexit.register(shutil.rmtree, MODULES, ignore_errors=True)
sys.path.insert(0, MODULES)


def dynaconf(case):
    # a settings module of its own per case, in a folder without settings files or .env: only the
    # environment overlays it
    import types
    import uuid

    import dynaconf as d

    name = "libdiff_settings_" + uuid.uuid4().hex
    # with settings files: a folder of its own (mysite/settings.py and the files, by their paths
    # relative to it), the process started there, as manage.py would be
    here = MODULES
    if case.get("files"):
        here = os.path.join(MODULES, name)
        os.makedirs(os.path.join(here, "mysite"))
        for rel, text in case["files"].items():
            os.makedirs(os.path.dirname(os.path.join(here, rel)), exist_ok=True)
            with open(os.path.join(here, rel), "w") as f:
                f.write(text)
    file = os.path.join(here, "mysite", "settings.py") if case.get("files") else os.path.join(MODULES, name + ".py")
    with open(file, "w") as f:
        f.write(case["source"])
    import inspect

    stack = inspect.stack
    saved = dict(os.environ)
    saved_conf, saved_lazy, saved_settings, cwd = sys.modules["django.conf"], d.settings, settings, os.getcwd()
    os.environ.clear()
    os.environ.update(case["env"])
    os.chdir(here)
    try:
        # dynaconf walks the stack with inspect.stack() a score of times per load and reads only each
        # frame and its file name: the same without source lines (context 0) is a hundred times faster
        inspect.stack = lambda context=1: stack(0)
        # run as `import name` would, without the import machinery's frames
        module = types.ModuleType(name)
        module.__file__ = file
        sys.modules[name] = module
        exec(compile(case["source"], file, "exec"), module.__dict__)
        missing = object()
        values = {}
        for n in case["names"]:
            v = getattr(module, n, missing)
            if v is not missing:
                values[n] = json.loads(json.dumps(v, default=lambda o: {"unserialisable": repr(o)}))
        return {"values": values}
    finally:
        # DjangoDynaconf replaces django.conf, dynaconf.settings and the `settings` global of every
        # frame on the stack (this module's): put them back for the next case
        sys.modules["django.conf"], d.settings = saved_conf, saved_lazy
        inspect.stack = stack
        globals()["settings"] = saved_settings
        sys.modules.pop(name, None)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved)


def axes(case):
    import importlib

    from django.utils.module_loading import import_string

    with override_settings(**case["settings"]):
        import axes.conf

        importlib.reload(axes.conf)  # it writes its defaults into settings when imported
        from axes.handlers.proxy import AxesProxyHandler

        handler = AxesProxyHandler.get_implementation(force=True)
        AxesProxyHandler.implementation = None
        return {
            "handler": settings.AXES_HANDLER,
            "handlerClass": type(handler) is import_string(settings.AXES_HANDLER),
            "usesCache": hasattr(handler, "cache"),
        }


def storages(case):
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.utils.module_loading import import_string

    out = {}
    for p in case["paths"]:
        try:
            cls = import_string(p)
        except ImportError as e:
            out[p] = {"imports": False, "why": f"{type(e).__name__}: {e}"}
            continue
        out[p] = {"imports": True, "manifest": ManifestFilesMixin in cls.__mro__}
    return {"paths": out}


def storages_signed(case):
    # url() of each backend, offline (boto3 signs without a network call), in three configurations:
    # the defaults, AWS_QUERYSTRING_AUTH off, and a custom domain; whether the URL carries a signature
    from django.utils.module_loading import import_string

    base = {
        "AWS_STORAGE_BUCKET_NAME": "static-example",
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "example-not-a-key",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    configs = {"default": {}, "noauth": {"AWS_QUERYSTRING_AUTH": False}, "custom": {"AWS_S3_CUSTOM_DOMAIN": "cdn.example.com"}}
    out = {}
    for p in case["paths"]:
        try:
            cls = import_string(p)
        except ImportError as e:
            out[p] = {"imports": False, "why": f"{type(e).__name__}: {e}"}
            continue
        r = {"imports": True}
        for name, extra in configs.items():
            with override_settings(**base, **extra):
                url = cls().url("css/app.css")
            r[name] = "Signature=" in url
        out[p] = r
    return {"paths": out}


def logging_route(case):
    # Django's configure_logging (DEFAULT_LOGGING, then LOGGING with LOGGING_CONFIG) over the loggers a
    # fresh process has: none configured, none disabled; then the error Django logs for a 500
    import logging

    from django.core import mail
    from django.utils.log import configure_logging

    for lg in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(lg, logging.Logger):
            lg.handlers = []
            lg.filters = []
            lg.setLevel(logging.NOTSET)
            lg.propagate = True
            lg.disabled = False
    root = logging.getLogger()
    root.handlers = []
    root.setLevel(logging.WARNING)
    email = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(ADMINS=[("Ops", "ops@example.com")], DEBUG=False, EMAIL_BACKEND=email):
        configure_logging(case.get("loggingConfig", "logging.config.dictConfig"), case["logging"])
        mail.outbox = []
        request = RF.get("/boom")
        extra = {"status_code": 500, "request": request}
        logging.getLogger("django.request").error("Internal Server Error: %s", "/boom", extra=extra)
        return {"mailed": len(mail.outbox) > 0}


RUN = {
    "whitenoise": whitenoise,
    "corsheaders": corsheaders,
    "csp": csp,
    "pydantic": pydantic,
    "dynaconf": dynaconf,
    "axes": axes,
    "storages": storages,
    "storages-signed": storages_signed,
    "logging": logging_route,
}


def main():
    out = []
    for case in json.load(sys.stdin):
        try:
            out.append(RUN[case["lib"]](case))
        except Exception as e:  # noqa: BLE001 - reported to the test, which fails on it
            out.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
