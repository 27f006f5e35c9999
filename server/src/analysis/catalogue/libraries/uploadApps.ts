// The apps of libraries that store uploaded files through Django's default storage (under
// MEDIA_ROOT with the file-system storage), so a project that installs one stores uploads even when
// none of its own models has a file field. Each with the library's source or documentation.
import type { Source } from './types';

export interface UploadApp {
  /** The INSTALLED_APPS entry. */
  readonly app: string;
  /** The distribution on PyPI. */
  readonly library: string;
  /** What it stores, in a few words (for a message). */
  readonly stores: string;
  readonly source: Source;
}

export const UPLOAD_APPS: readonly UploadApp[] = [
  {
    app: 'wagtail.images',
    library: 'wagtail',
    stores: 'the images editors upload',
    source: {
      url: 'https://github.com/wagtail/wagtail/blob/43a00b038c66f2c88a49d84bbb2dc91cc1b9f047/wagtail/images/models.py',
      quote:
        'class AbstractImage(ImageFileMixin, CollectionMember, index.Indexed, models.Model): … file = WagtailImageField(verbose_name=_("file"), upload_to=get_upload_to, width_field="width", height_field="height")',
      versions: 'Wagtail 2.0 and later (before 2.0: wagtail.wagtailimages)',
    },
  },
  {
    app: 'wagtail.documents',
    library: 'wagtail',
    stores: 'the documents editors upload',
    source: {
      url: 'https://github.com/wagtail/wagtail/blob/ebcb6eb2149887b31b8a27e3cf4693123fff5039/wagtail/documents/models.py',
      quote: 'file = models.FileField(upload_to="documents", verbose_name=_("file"))',
      versions: 'Wagtail 2.0 and later (before 2.0: wagtail.wagtaildocs)',
    },
  },
  {
    app: 'filer',
    library: 'django-filer',
    stores: 'the files and images its admin uploads',
    source: {
      url: 'https://django-filer.readthedocs.io/en/latest/settings.html#filer-storages',
      quote: 'Defaults to FileSystemStorage in <MEDIA_ROOT>/filer_public/ and <MEDIA_ROOT>/filer_public_thumbnails/ for public files',
    },
  },
  {
    app: 'ckeditor_uploader',
    library: 'django-ckeditor',
    stores: 'the images its editor uploads',
    source: {
      url: 'https://github.com/django-ckeditor/django-ckeditor/blob/cc41f3c0389f6c83b6322a49a485275d85ef5e6d/README.rst',
      quote:
        'Add ``ckeditor_uploader`` to your ``INSTALLED_APPS`` setting. … CKEditor uses Django storage API. By default Django uses file system storage backend (it will use your MEDIA_ROOT and MEDIA_URL)',
      versions: '5.0 and later (file upload moved to ckeditor_uploader)',
    },
  },
  {
    app: 'easy_thumbnails',
    library: 'easy-thumbnails',
    stores: 'the thumbnails it generates',
    source: {
      url: 'https://easy-thumbnails.readthedocs.io/en/latest/ref/settings/#easy_thumbnails.conf.Settings.THUMBNAIL_DEFAULT_STORAGE',
      quote: 'THUMBNAIL_DEFAULT_STORAGE: The default Django storage for saving generated thumbnails.',
    },
  },
];
