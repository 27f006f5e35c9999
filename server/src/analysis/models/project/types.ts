// The project model's shapes: a Django project of the workspace, its settings modules, the places
// that name one (mentions), the choice of the production module with its reason, and the options
// the model is built with. The modules beside this one build them (model.ts is the entry).
import type { ProjectConfig } from './config';
import type { ScannedFile } from '../../files/scan';
import type { DjangoVersion, ProjectVersions } from './version';
import type { EnvChoice } from './selector';
import type { SourceRoot } from './repository';
import type { RenderedTemplate } from './renderedTemplates';

export type ModuleRole = 'production' | 'development' | 'test' | 'shared';

export interface SettingsModule {
  readonly name: string;
  readonly file: string;
  readonly isPackage: boolean;
  /**
   * When the deployment renders the file as a template before Python reads it (an Ansible
   * `template:` task): the task and where it is ("the Ansible template task in main.yml:64"). Its
   * template expressions (`'{{ db_password }}'`) are values filled in then, unknown here.
   */
  readonly renderedBy?: string;
}

/** A place that names a settings module (DJANGO_SETTINGS_MODULE=…, --settings=…). */
export interface SettingsMention {
  readonly module: string;
  readonly file: string;
  /** Zero-based line. */
  readonly line: number;
  readonly kind: ScannedFile['kind'] | 'pytest';
  /** The mention is in a file meant for development or tests (local.yml, .env, pytest.ini…). */
  readonly devOnly: boolean;
  /** In an app module a production process serves: how it is started ("gunicorn in Procfile (web):1"). */
  readonly servedBy?: string;
  /** Set in the environment of a process a deployment file runs (a manifest's container, a platform's process). */
  readonly process?: string;
  /**
   * In the committed template (`.env.prod-sample`) of an environment file a production process
   * loads and the repository does not have: that file as shown (`.env.prod`), which the deployer
   * makes from the template and may change (as written unless overridden).
   */
  readonly templateOf?: string;
}

/**
 * How the production module was chosen, as data (where the chain a finding rests on starts):
 *   user             the user chose it (the editor setting, --settings, pyproject.toml)
 *   deployment       a deployment file names it (a Dockerfile's ENV, a Procfile's or a manifest's
 *                    environment, a command line's --settings)
 *   app-default      the app module production serves (wsgi.py, asgi.py) sets it, and no deployment
 *                    file names another
 *   extends-default  a production-named module extending the one wsgi.py merely defaults to
 *   name             its name says production; nothing names it
 *   only             the only settings module there is (not meant for development or tests)
 *   manage           manage.py's default, as nothing else names a module
 *   template         the committed template of a module the deployment supplies stands in for it
 *   env-template     the committed template of an environment file a production process loads
 *                    and the repository does not have names it (`.env.prod-sample` for `.env.prod`):
 *                    as written unless the deployer changes it
 */
export type ProductionHow =
  | 'user'
  | 'deployment'
  | 'app-default'
  | 'extends-default'
  | 'name'
  | 'only'
  | 'manage'
  | 'template'
  | 'env-template';

export interface ProductionChoice {
  readonly module: SettingsModule;
  readonly via: 'user' | 'entry-point' | 'name' | 'only' | 'manage';
  /** How it was chosen (see ProductionHow); `presumed` says why when nothing the deployment runs names it. */
  readonly how: ProductionHow;
  /** Human-readable reason, e.g. "named by wsgi.py (DJANGO_SETTINGS_MODULE)". */
  readonly reason: string;
  readonly mention?: SettingsMention;
}

export interface DjangoProject {
  /** sys.path root: the folder of manage.py (or derived from the package layout). */
  readonly root: string;
  /** Display name: the folder name, or the settings package. */
  readonly name: string;
  readonly manage?: string;
  readonly settingsModules: SettingsModule[];
  readonly mentions: SettingsMention[];
  readonly production?: ProductionChoice;
  /** Why no production module could be chosen. */
  readonly noProductionReason?: string;
  /**
   * Variables that select what the production module loads (`DJANGO_ENV` of a settings package that
   * includes `environments/{DJANGO_ENV}.py`), with the value production runs with and its evidence.
   */
  readonly productionEnv?: readonly EnvChoice[];
  /**
   * The django-configurations class the app's entry point selects before Django loads the settings
   * (wsgi.py's `os.environ.setdefault("DJANGO_CONFIGURATION", "Dev")`) when no deployment file
   * names one (production.ts entryPointConfiguration): the evaluator runs it unless the deployment's
   * environment sets the variable or a class is named for production.
   */
  readonly configurationDefault?: EnvChoice;
  readonly djangoVersion: DjangoVersion;
  /** Django (the same as djangoVersion), gunicorn and uvicorn as the dependency files name them. */
  readonly versions: ProjectVersions;
  /** Deployment-related files that apply to this project (Procfile, Dockerfile, gunicorn configs…). */
  readonly files: ScannedFile[];
  /** Search roots for absolute imports. */
  readonly importRoots: string[];
  /** Source roots besides the project's own folders (setup.cfg package dirs, src/, sys.path, PYTHONPATH). */
  readonly sourceRoots: readonly SourceRoot[];
  /**
   * The committed templates the deployment renders into Python modules of the project (an Ansible
   * `template:` task's `src` and `dest`: renderedTemplates.ts), when there are any.
   */
  readonly renderedTemplates?: readonly RenderedTemplate[];
  /**
   * When the project runs on Python 2, what says so (`runtime.txt: python-2.7.18`, `manage.py:1:
   * #!/usr/bin/env python2`): its imports are then relative first (`from local_settings import *`
   * in `pkg/settings.py` reads `pkg/local_settings.py` when there is one, PEP 328). Undefined: Python 3.
   */
  readonly python2?: string;
  /**
   * An nginx or Caddy configuration of the repository outside the project's own files (one no process
   * of the project is seen to be behind: it hands requests to another socket, another app): the
   * repository shows a proxy, so the one the settings expect is not simply elsewhere (requestPath/front.ts).
   */
  readonly proxyElsewhere?: string;
  /**
   * The nginx and Caddy configurations in a compose service's build context that its Dockerfile does
   * not copy into the image and no volume mounts (an nginx.conf beside an nginx-proxy image's
   * Dockerfile): not read as the project's proxy, and listed as such (engine/deployment.ts notRead).
   */
  readonly uncopiedProxyConfigs?: readonly { readonly file: string; readonly why: string }[];
  /** The repository root, when it is above the analysed folder (its process files were read too). */
  readonly repositoryRoot?: string;
  /**
   * The folder messages, reasons and rows name files from (base/relPath.ts shownPath): the workspace
   * folder the project was found in (the CLI's folder), so that `docker/single/Dockerfile:44` is the
   * path the editor and the reports show for that file, whichever subfolder the project is in.
   */
  readonly shownRoot: string;
  /** `[tool.django-deploy-check]` of the pyproject.toml nearest to the project ({} when none). */
  readonly config: ProjectConfig;
}

export interface ProjectOptions {
  /** Dotted production settings module chosen by the user. */
  readonly productionSettingsModule?: string;
  readonly djangoVersion?: string;
  /**
   * Options of single workspace folders (keyed by the folder's path), in place of the ones above for
   * the projects in that folder: a multi-root workspace's folder settings.
   */
  readonly byFolder?: Readonly<Record<string, ProjectOptions>>;
  /**
   * Wall-clock deadline (Date.now() ms) of the run: finding the projects and reading their
   * dependency files stop there, and what they left out is said (see Discovery).
   */
  readonly runDeadline?: number;
}

/** The projects found in one folder, and the candidate project folders the deadline left unread. */
export interface Discovery {
  readonly projects: DjangoProject[];
  readonly unfinished: readonly string[];
}
