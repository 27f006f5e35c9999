// Which Python each Django release installs on, and which Python 3 a Linux distribution's own
// `python3` package is: together they say which Django `pip install "Django>=4.2.14"` gets in an
// image whose Python is 3.8 (Django 4.2: 5.0 needs Python 3.10).
import type { Fact } from './facts';

/**
 * The oldest Python each Django release family installs on (its `python_requires`), newest family
 * first: pip on Python X.Y installs the newest release line whose family's minimum is X.Y or older.
 */
export const DJANGO_MIN_PYTHON: Fact<readonly (readonly [django: string, python: string])[]> = {
  value: [
    ['6.0', '3.12'],
    ['5.0', '3.10'],
    ['4.0', '3.8'],
    ['3.0', '3.6'],
    ['2.1', '3.5'],
    ['2.0', '3.4'],
    ['1.11', '2.7'],
  ],
  source: {
    url: 'https://docs.djangoproject.com/en/stable/faq/install/#what-python-version-can-i-use-with-django',
    quote:
      'Django version | Python versions: 2.0 3.4–3.7; 2.1 3.5–3.7; 2.2 3.5–3.9; 3.0, 3.1 3.6–3.9; 3.2 3.6–3.10; 4.0 3.8–3.10; 4.1 3.8–3.11; 4.2 3.8–3.12; 5.0 3.10–3.12; 5.1 3.10–3.13; 5.2 3.10–3.14; 6.0 3.12–3.14. ' +
      'Release notes: "Django 5.0 supports Python 3.10, 3.11, and 3.12 … The Django 4.2.x series is the last to support Python 3.8 and 3.9." ' +
      '(https://docs.djangoproject.com/en/5.0/releases/5.0/#python-compatibility); "Django 6.0 supports Python 3.12, 3.13, and 3.14 … The Django 5.2.x series is the last to support Python 3.10 and 3.11." ' +
      '(https://docs.djangoproject.com/en/6.0/releases/6.0/#python-compatibility); "Django 4.0 supports Python 3.8, 3.9, and 3.10." (https://docs.djangoproject.com/en/4.0/releases/4.0/#python-compatibility)',
    versions: 'Django 1.11 to 6.0 (the FAQ tables of the 2.2, 4.2 and 6.0 documentation)',
  },
};

/** A distribution release whose `python3` package (what `apt-get install python3` gives) is one Python. */
export interface DistributionPython {
  readonly distribution: 'debian' | 'ubuntu';
  /** The release as endOfLife.ts baseImageReleases names it: a Debian codename, an Ubuntu version. */
  readonly release: string;
  /** "3.8" */
  readonly python: string;
  readonly url: string;
}

/**
 * The Python 3 of each distribution release's own `python3` package (the packages' pages; the default
 * Python of the release, which its python3-pip installs into).
 */
export const DISTRIBUTION_PYTHON: Fact<readonly DistributionPython[]> = {
  value: [
    { distribution: 'debian', release: 'buster', python: '3.7', url: 'https://packages.debian.org/buster/python3' },
    { distribution: 'debian', release: 'bullseye', python: '3.9', url: 'https://packages.debian.org/bullseye/python3' },
    { distribution: 'debian', release: 'bookworm', python: '3.11', url: 'https://packages.debian.org/bookworm/python3' },
    { distribution: 'debian', release: 'trixie', python: '3.13', url: 'https://packages.debian.org/trixie/python3' },
    { distribution: 'ubuntu', release: '18.04', python: '3.6', url: 'https://packages.ubuntu.com/bionic/python3' },
    { distribution: 'ubuntu', release: '20.04', python: '3.8', url: 'https://packages.ubuntu.com/focal/python3' },
    { distribution: 'ubuntu', release: '22.04', python: '3.10', url: 'https://packages.ubuntu.com/jammy/python3' },
    { distribution: 'ubuntu', release: '24.04', python: '3.12', url: 'https://packages.ubuntu.com/noble/python3' },
  ],
  knob: 'FROM debian:<release> / ubuntu:<release> with `apt-get install python3`',
  source: {
    url: 'https://packages.debian.org/search?keywords=python3&searchon=names&exact=1&suite=all&section=all',
    quote:
      'Package python3: buster (oldoldstable) 3.7.3-1; bullseye 3.9.2-3; bookworm 3.11.2-1+b1; trixie 3.13.5-1. ' +
      'Ubuntu (https://packages.ubuntu.com/search?keywords=python3&searchon=names&exact=1): bionic 3.6.7-1~18.04; focal 3.8.2-0ubuntu2; jammy 3.10.6-1~22.04; noble 3.12.3-0ubuntu2',
    versions: 'the releases listed; the minor version of python3 does not change within a release',
  },
};
