"""A stand-in for python-decouple, for the parity driver only: config(), Csv and AutoConfig, reading
os.environ (the driver's, under defaults semantics; no .env or settings.ini is read) with decouple's
own casting: a default is cast like a value, and a bool accepts only decouple's words."""
import os

BOOLEANS = {"1": True, "yes": True, "true": True, "on": True, "0": False, "no": False, "false": False, "off": False, "": False}


class Undefined:
    pass


undefined = Undefined()


class UndefinedValueError(Exception):
    pass


def _cast_boolean(value):
    value = str(value).lower()
    if value not in BOOLEANS:
        raise ValueError("Not a boolean: %s" % value)
    return BOOLEANS[value]


class Csv:
    def __init__(self, cast=str, delimiter=",", strip=" ", post_process=list):
        self.cast, self.delimiter, self.strip, self.post_process = cast, delimiter, strip, post_process

    def __call__(self, value):
        if value is None:
            return self.post_process()
        parts = [s.strip(self.strip) for s in str(value).split(self.delimiter)]
        return self.post_process(self.cast(s) for s in parts if s)


class Config:
    def get(self, option, default=undefined, cast=undefined):
        if option in os.environ or isinstance(default, Undefined):
            value = os.environ[option]  # a required variable: the driver fills it
        else:
            value = default
        if isinstance(cast, Undefined):
            return value
        return _cast_boolean(value) if cast is bool else cast(value)

    def __call__(self, *args, **kwargs):
        return self.get(*args, **kwargs)


class AutoConfig(Config):
    def __init__(self, search_path=None):
        self.search_path = search_path


config = AutoConfig()
