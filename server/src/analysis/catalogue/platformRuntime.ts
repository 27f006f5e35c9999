// What a platform's runtime does to the containers it runs, beyond what the image says: the user it
// runs them as; and what its build runs of the app's own files (the Python buildpack's hooks). Each
// with the vendor's page and words. Rules read these (DDG302: an image the platform never runs as
// root does not run the app as root there; DDG317: migrate in a build hook).
import type { Fact, Source } from './facts';

export interface NonRootPlatform {
  /** The platform file's format, as its reader names it (`heroku.yml`). */
  readonly format: string;
  readonly platform: string;
  readonly source: Source;
}

export const NON_ROOT_PLATFORMS: readonly NonRootPlatform[] = [
  {
    format: 'heroku.yml',
    platform: "Heroku's container stack",
    source: {
      url: 'https://devcenter.heroku.com/articles/container-registry-and-runtime#testing-an-image-locally',
      quote:
        'We highly recommend testing your images locally as a non-root user, as containers are not run with root privileges on Heroku.',
    },
  },
];

/** The platform that never runs a process of this platform file's format as root, when one does not. */
export function nonRootPlatform(format: string | undefined): NonRootPlatform | undefined {
  return NON_ROOT_PLATFORMS.find((p) => p.format === format);
}

/**
 * The build hooks the classic Python buildpack runs while it builds an app from a Procfile (Heroku;
 * Dokku and Scalingo build with the same buildpack): the app's own scripts, by these paths from the
 * app's root, after the dependencies are installed and before the slug is released.
 */
export const PYTHON_BUILDPACK_HOOKS: Fact<readonly string[]> = {
  value: ['bin/pre_compile', 'bin/post_compile'],
  knob: 'PRE_COMPILE_HOOK, POST_COMPILE_HOOK',
  source: {
    url: 'https://github.com/heroku/heroku-buildpack-python/blob/04128c163860aab23074a88508ffc741e9bf950b/bin/steps/hooks/post_compile',
    quote:
      ': ${POST_COMPILE_HOOK:=bin/post_compile} … if [ -f $POST_COMPILE_HOOK ]; then echo "-----> Running post-compile hook" … sub-env $POST_COMPILE_HOOK',
  },
};

/**
 * The requirements file the classic Python buildpack installs while it builds an app from a
 * Procfile (Heroku; Dokku and Scalingo build with the same buildpack): `requirements.txt` at the
 * app's root, with `pip install -r`. A requirements file elsewhere, or of another name, is not
 * installed by the build (unless that one includes it with `-r`).
 */
export const PYTHON_BUILDPACK_REQUIREMENTS: Fact<string> = {
  value: 'requirements.txt',
  source: {
    // (the README's words while the buildpack installed with pip only; later ones add Pipfile, Poetry and uv)
    url: 'https://github.com/heroku/heroku-buildpack-python#readme',
    quote:
      "-----> Installing python-2.7.12 $ pip install -r requirements.txt … A `requirements.txt` file must be present at the root of your application's repository.",
  },
};
