// What a platform's runtime does to the containers it runs, beyond what the image says: the user it
// runs them as. Each with the vendor's page and words. Rules read this table (DDG302: an image the
// platform never runs as root does not run the app as root there).
import type { Source } from './facts';

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
