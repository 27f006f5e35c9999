// DDH002: reports production settings that fail to import.
import type { Rule } from '../types';
import { ANALYSIS_REFS, reportNotes } from './reportNotes';

export const settingsImportFails: Rule = {
  code: 'DDH002',
  name: 'settings-import-fails',
  title: 'Production settings fail to import',
  severity: 'warning',
  group: 'analysis',
  checklist: 'analysis',
  target: 'settings',
  docs: {
    what: 'Reports an import in the production settings that fails where the code is deployed — a module missing from the repository or ignored by git (such as `local_settings.py`) imported outside `try`/`except ImportError` — and a `raise` that runs when the module is imported. A module the settings code writes before importing it (`secret_key.py` written with a random key by an `except ImportError:` branch or a helper, where the app first starts) is not missing: it is there when imported, its contents unknown. Nor is a sibling module that the Python files of a folder a production image copies in import, when the image builds FROM a base that is not a public operating-system or Python image (`FROM some-org/django-container`, `COPY docker/ /app/project/`, `from .base_settings import *` in docker/settings.py): the base image provides it, outside the repository; DDH004 says it cannot be read, and the settings it may bind are unknown.',
    why: 'Django cannot start when its settings module raises; and when a module is only present on developer machines, its values never reach production.',
    example: 'from .local_settings import *   # ignored by .gitignore',
    fix: 'Guard optional imports with `try`/`except ImportError`, and make sure production does not depend on files outside the repository.',
    good: 'try:\n    from .local_settings import *\nexcept ImportError:\n    pass',
    references: ANALYSIS_REFS,
  },
  check: (ctx) => reportNotes(ctx, ['import-missing', 'import-ignored', 'module-raises']),
};
