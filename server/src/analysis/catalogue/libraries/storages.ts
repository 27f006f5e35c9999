// django-storages: its static files storages, which write to a bucket rather than STATIC_ROOT, and
// which of them write content-hashed names (the manifest ones). From django-storages 1.14's source
// (jschneier/django-storages). Debian 12's 1.13.2 packages its S3 backends apart
// (python3-django-storages-boto3): test/libdiff imports the storages.backends.s3boto3 ones and checks
// which have ManifestFilesMixin in their MRO; storages.backends.s3 (new in 1.14) and the Google
// Cloud and Azure backends (not packaged) are read from the source only.
import type { Library } from './types';

const AT = 'https://github.com/jschneier/django-storages/blob/1.14.4/storages/backends';

export const STORAGES_LIB = {
  distribution: 'django-storages',
  modules: ['storages'],
  readAt: '1.14.4',
  /** Every backend's dotted path starts with this: none writes to the local STATIC_ROOT. */
  backendsPrefix: 'storages.backends.',
  storages: {
    hashed: ['storages.backends.s3boto3.S3ManifestStaticStorage', 'storages.backends.s3.S3ManifestStaticStorage'],
    plain: [
      'storages.backends.s3boto3.S3Boto3Storage',
      'storages.backends.s3boto3.S3StaticStorage',
      'storages.backends.s3.S3Storage',
      'storages.backends.s3.S3StaticStorage',
      'storages.backends.gcloud.GoogleCloudStorage',
      'storages.backends.azure_storage.AzureStorage',
    ],
    hashedTwin: {
      'storages.backends.s3boto3.S3StaticStorage': 'storages.backends.s3boto3.S3ManifestStaticStorage',
      'storages.backends.s3.S3StaticStorage': 'storages.backends.s3.S3ManifestStaticStorage',
    },
    source: {
      url: `${AT}/s3.py`,
      quote:
        'class S3StaticStorage(S3Storage): """Querystring auth must be disabled so that url() returns a consistent output.""" … class S3ManifestStaticStorage(ManifestFilesMixin, S3StaticStorage): """Add ManifestFilesMixin with S3StaticStorage."""',
    },
  },
  /**
   * The S3 backends that sign the URLs they give (querystring auth on by default, no custom domain):
   * each URL carries its own signature and date, so a page rendered later links to a new URL.
   */
  signedUrls: {
    backends: ['storages.backends.s3boto3.S3Boto3Storage', 'storages.backends.s3.S3Storage'],
    querystringAuth: { name: 'AWS_QUERYSTRING_AUTH', default: true },
    customDomain: 'AWS_S3_CUSTOM_DOMAIN',
    source: {
      url: `${AT}/s3.py`,
      quote:
        '"querystring_auth": setting("AWS_QUERYSTRING_AUTH", True), … "custom_domain": setting("AWS_S3_CUSTOM_DOMAIN") … def url(self, name, …): … if self.custom_domain: … return url … url = self.bucket.meta.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expire, …) if self.querystring_auth: return url',
    },
  },
} as const satisfies Library & Record<string, unknown>;
