# Runs the real libraries on the cases test/libdiff/libdiff.test.ts generates (stdin: a JSON list),
# printing what each did (stdout: a JSON list in the same order). Debian's python3 with the packages
# test/libdiff/setup.mjs installs: WhiteNoise 6.0, django-cors-headers 3.14, django-csp 3.7 under
# Django 3.2, and pydantic 1.10 (its BaseSettings).
#
#   {"lib": "whitenoise", "settings": {...}}             -> the headers its middleware puts on a static
#                                                            file without a hash in its name, and the
#                                                            defaults it took (autorefresh, use_finders)
#   {"lib": "corsheaders", "settings": {...}, "path", "origin"} -> the CORS headers of a GET's response
#   {"lib": "csp", "settings": {...}}                    -> the CSP header's name and value
#   {"lib": "pydantic", "source", "env"}                 -> the fields of Settings() under env, or the
#                                                            fields pydantic rejects
import json
import os
import sys
import tempfile

import django
from django.conf import settings

STATIC_ROOT = tempfile.mkdtemp(prefix="libdiff-static-")
with open(os.path.join(STATIC_ROOT, "app.js"), "w") as f:
    f.write("console.log(1);\n")

settings.configure(
    DEBUG=False,
    SECRET_KEY="libdiff",
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["django.contrib.staticfiles", "corsheaders", "csp"],
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
        response = CorsMiddleware(ok)(RF.get(case["path"], **extra))
        return {
            "allowOrigin": response.get("Access-Control-Allow-Origin"),
            "allowCredentials": response.get("Access-Control-Allow-Credentials"),
        }


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


RUN = {"whitenoise": whitenoise, "corsheaders": corsheaders, "csp": csp, "pydantic": pydantic}


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
