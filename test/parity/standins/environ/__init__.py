"""A stand-in for django-environ, for the parity driver only: Env() and its common casts, reading
os.environ (the driver's, under defaults semantics: a lookup with a default yields the default, one
without is a required variable the driver fills). Enough for the settings our fixtures write."""
import os

NOTSET = object()
TRUE = ("true", "on", "ok", "y", "yes", "1")


def _parse(value, cast):
    if cast is None or not isinstance(value, str):
        return value
    if cast is bool:
        try:
            return int(value) != 0
        except ValueError:
            return value.lower().strip() in TRUE
    if cast in (list, tuple):
        return cast(x for x in value.split(",") if x)
    return cast(value)


class Env:
    NOTSET = NOTSET

    def __init__(self, **scheme):
        self.scheme = scheme

    def __call__(self, var, cast=None, default=NOTSET, parse_default=False):
        return self.get_value(var, cast, default, parse_default)

    def get_value(self, var, cast=None, default=NOTSET, parse_default=False):
        if var in self.scheme:
            scheme = self.scheme[var]
            if isinstance(scheme, tuple):
                cast = cast or scheme[0]
                if default is NOTSET and len(scheme) > 1:
                    default = scheme[1]
            else:
                cast = cast or scheme
        if var in os.environ or default is NOTSET:
            return _parse(os.environ[var], cast)
        return _parse(default, cast) if parse_default else default

    def str(self, var, default=NOTSET):
        return self.get_value(var, str, default)

    def bool(self, var, default=NOTSET):
        return self.get_value(var, bool, default)

    def int(self, var, default=NOTSET):
        return self.get_value(var, int, default)

    def float(self, var, default=NOTSET):
        return self.get_value(var, float, default)

    def list(self, var, cast=None, default=NOTSET):
        return self.get_value(var, list, default)

    def tuple(self, var, cast=None, default=NOTSET):
        return self.get_value(var, tuple, default)

    @classmethod
    def read_env(cls, *args, **kwargs):
        """No .env file is read: the environment stays empty."""
