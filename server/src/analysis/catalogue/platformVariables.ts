// The variables a platform sets in the app's processes from what its file declares, beyond the
// variables the file writes: the config vars Heroku add-ons set when app.json (`addons`) or
// heroku.yml (`setup.addons`) provisions them. Each with the vendor's page and the words that say
// it. The process readers (readers/platforms) read these: production then has the variable, its
// value not known here — a settings fallback for it (`dj_database_url.config(default=…)`, `if
// "DATABASE_URL" in os.environ: … else: SQLite`) is not what production runs.
//
// Only add-ons whose documentation names the variables are listed; another add-on sets variables
// this table does not know (nothing is assumed about them).
import type { Source } from './hops';

export interface AddonVariables {
  /** The add-on's slug as app.json and heroku.yml name it (`heroku-postgresql`, before any `:plan`). */
  readonly addon: string;
  /** The variables it sets in every dyno of the app. */
  readonly variables: readonly string[];
  readonly source: Source;
}

export const HEROKU_ADDONS: readonly AddonVariables[] = [
  {
    addon: 'heroku-postgresql',
    variables: ['DATABASE_URL'],
    source: {
      url: 'https://devcenter.heroku.com/articles/heroku-postgresql#designating-a-primary-database',
      quote:
        "The DATABASE_URL config var designates the URL of an app's primary Heroku Postgres database. For apps with a single database, its URL is automatically assigned to this config var.",
    },
  },
  {
    addon: 'heroku-redis',
    variables: ['REDIS_URL'],
    source: {
      url: 'https://devcenter.heroku.com/articles/heroku-redis#create-an-instance',
      quote: "If you've manually created a REDIS_URL config var on your app, it's overwritten when you add your first heroku-redis add-on.",
    },
  },
  {
    addon: 'memcachier',
    variables: ['MEMCACHIER_SERVERS', 'MEMCACHIER_USERNAME', 'MEMCACHIER_PASSWORD'],
    source: {
      url: 'https://devcenter.heroku.com/articles/memcachier#getting-started',
      quote:
        "Once the add-on has been added you'll notice three new variables in heroku config: MEMCACHIER_SERVERS => mcX.ec2.memcachier.com, MEMCACHIER_USERNAME => bobslob, MEMCACHIER_PASSWORD => …",
    },
  },
  {
    addon: 'mailgun',
    variables: [
      'MAILGUN_API_KEY',
      'MAILGUN_DOMAIN',
      'MAILGUN_PUBLIC_KEY',
      'MAILGUN_SMTP_LOGIN',
      'MAILGUN_SMTP_PASSWORD',
      'MAILGUN_SMTP_PORT',
      'MAILGUN_SMTP_SERVER',
    ],
    source: {
      url: 'https://devcenter.heroku.com/articles/mailgun#provisioning-the-add-on',
      quote:
        'Once Mailgun has been added a MAILGUN_API_KEY, MAILGUN_DOMAIN, MAILGUN_PUBLIC_KEY, MAILGUN_SMTP_LOGIN, MAILGUN_SMTP_PASSWORD, MAILGUN_SMTP_PORT and MAILGUN_SMTP_SERVER settings will be available in the app configuration.',
    },
  },
  {
    addon: 'sendgrid',
    variables: ['SENDGRID_USERNAME', 'SENDGRID_PASSWORD'],
    source: {
      url: 'https://devcenter.heroku.com/articles/sendgrid#provisioning-the-add-on',
      quote: 'Once SendGrid has been added a SENDGRID_USERNAME and SENDGRID_PASSWORD setting will be available in the app configuration.',
    },
  },
];

/** The variables a Heroku add-on (`heroku-postgresql:mini`, `memcachier`) sets, with its entry; undefined for one not listed. */
export function herokuAddon(spec: string): AddonVariables | undefined {
  const slug = spec.trim().split(':')[0]!.toLowerCase();
  return HEROKU_ADDONS.find((a) => a.addon === slug);
}

/**
 * The variables Railway sets in every deployment (railway.json / railway.toml), values not known
 * here. RAILWAY_PUBLIC_DOMAIN is left out: it exists only once the service has a public domain.
 */
export const RAILWAY_PROVIDED: { readonly variables: readonly string[]; readonly source: Source } = {
  variables: [
    'RAILWAY_PRIVATE_DOMAIN',
    'RAILWAY_PROJECT_NAME',
    'RAILWAY_ENVIRONMENT_NAME',
    'RAILWAY_SERVICE_NAME',
    'RAILWAY_PROJECT_ID',
    'RAILWAY_ENVIRONMENT_ID',
    'RAILWAY_SERVICE_ID',
  ],
  source: {
    url: 'https://docs.railway.com/reference/variables#railway-provided-variables',
    quote: 'Railway provides the following additional system environment variables to all builds and deployments.',
  },
};

/**
 * A Railway reference variable (`${{Postgres.DATABASE_URL}}`, `${{shared.DOMAIN}}`): Railway fills it
 * from another service's or the shared variables when it deploys — set, its value not known here.
 */
export const RAILWAY_REFERENCE: { readonly pattern: RegExp; readonly source: Source } = {
  pattern: /\$\{\{\s*[A-Za-z_][\w-]*\.[A-Za-z_]\w*\s*\}\}/,
  source: {
    url: 'https://docs.railway.com/reference/variables#template-syntax',
    quote:
      'Railway\'s templating syntax gives you flexibility in managing variables: ${{NAMESPACE.VAR}} … For a variable defined in another service, the namespace is the name of the service, e.g. "Postgres" or "backend-api".',
  },
};

/**
 * The variable only Heroku, of the platforms that run a Procfile, sets in every dyno: the dyno's
 * name (`web.1`, `release.1234`). A Procfile alone does not say which platform runs it (Scalingo and
 * Google Cloud's buildpacks read it too, and do not set it), so a settings branch on it (`if "DYNO"
 * in os.environ:  # for Heroku`) may run in production: neither taken nor skipped.
 */
export const HEROKU_DYNO: { readonly name: string; readonly why: string; readonly source: Source } = {
  name: 'DYNO',
  why: 'Heroku sets it in every dyno, and the other platforms that run a Procfile do not: whether it is set depends on which runs this Procfile',
  source: {
    url: 'https://devcenter.heroku.com/articles/dynos#local-environment-variables',
    quote: 'DYNO: The identifier for the current dyno, for example: web.1 or worker.2.',
  },
};

/**
 * What app.json's `env` is: the config vars Heroku gives an app it creates from the file (a review
 * app, a Heroku Button deploy, a Heroku CI run), not a production app created otherwise, whose
 * config vars are set on Heroku. A value written there is production's only where production was
 * created from the file: the Heroku Button of the repository's README says it is (the button creates
 * each user's production app from app.json).
 */
export const APP_JSON_ENV: {
  readonly why: string;
  readonly button: RegExp;
  readonly buttonKeys: readonly string[];
  readonly sources: readonly Source[];
} = {
  why: "app.json gives it only to the apps Heroku creates from the file (review apps, the Heroku Button, Heroku CI): production's config vars are set on Heroku",
  /** A Heroku Button in a README (`[![Deploy](https://www.herokucdn.com/deploy/button.svg)](https://heroku.com/deploy)`). */
  button: /\bheroku\.com\/deploy\b/,
  /**
   * The keys the Heroku Button's deploy page shows the user who deploys (with each variable's
   * `description`): a file that has them is written for that page.
   */
  buttonKeys: ['success_url', 'logo', 'website', 'repository'],
  sources: [
    {
      // (readers/platforms/heroku.ts: an item without a value is a config var set on the platform)
      url: 'https://devcenter.heroku.com/changelog-items/513',
      quote:
        'Any env item listed in an app.json manifest is now required by default in app-setups, which includes deployments initiated by Deploy to Heroku buttons. To make an env item optional, "required": false can be specified in the the app.json manifest.',
    },
    {
      url: 'https://devcenter.heroku.com/articles/app-json-schema',
      quote:
        'app.json is a manifest format for describing web apps. It declares environment variables, add-ons, and other information required to run an app on Heroku. … See the Setting Up Apps using the Platform API for details on how to use app.json to set up apps on Heroku.',
    },
    {
      // the app.json schema Heroku publishes (the `apps` package): what the deploy page uses
      url: 'https://unpkg.com/apps@0.8.3/files/schema.js',
      quote:
        '"logo": { "description": "The URL of the application\'s logo image. …" }, "success_url": { "description": "A URL specifying where to redirect the user once their new app is deployed. …" }',
    },
    {
      url: 'https://devcenter.heroku.com/changelog-items/864',
      quote: 'Review apps and Heroku button apps can now specify a formation for the application.',
    },
  ],
};

/**
 * The variables a Clever Cloud add-on injects into the applications linked to it, by the names only
 * the add-on gives (POSTGRESQL_ADDON_PASSWORD): settings that read one are written for an app with
 * that add-on linked, which sets it — its value not known here. Generic names (REDIS_URL, REDIS_HOST)
 * are left out: they say nothing about an add-on.
 */
export const CLEVER_CLOUD_ADDONS: readonly { readonly addon: string; readonly variables: readonly string[]; readonly source: Source }[] = [
  {
    addon: 'PostgreSQL',
    variables: [
      'POSTGRESQL_ADDON_HOST',
      'POSTGRESQL_ADDON_DB',
      'POSTGRESQL_ADDON_USER',
      'POSTGRESQL_ADDON_PASSWORD',
      'POSTGRESQL_ADDON_PORT',
      'POSTGRESQL_ADDON_URI',
      'POSTGRESQL_ADDON_VERSION',
    ],
    source: {
      url: 'https://www.clever.cloud/developers/doc/reference/reference-environment-variables/#postgresql',
      quote:
        'POSTGRESQL_ADDON_HOST … POSTGRESQL_ADDON_DB … POSTGRESQL_ADDON_USER … POSTGRESQL_ADDON_PASSWORD … POSTGRESQL_ADDON_PORT … POSTGRESQL_ADDON_URI',
    },
  },
  {
    addon: 'MySQL',
    variables: [
      'MYSQL_ADDON_HOST',
      'MYSQL_ADDON_DB',
      'MYSQL_ADDON_USER',
      'MYSQL_ADDON_PASSWORD',
      'MYSQL_ADDON_PORT',
      'MYSQL_ADDON_URI',
      'MYSQL_ADDON_VERSION',
    ],
    source: {
      url: 'https://www.clever.cloud/developers/doc/reference/reference-environment-variables/#mysql',
      quote: 'MYSQL_ADDON_HOST … MYSQL_ADDON_DB … MYSQL_ADDON_USER … MYSQL_ADDON_PASSWORD … MYSQL_ADDON_PORT',
    },
  },
  {
    addon: 'MongoDB',
    variables: [
      'MONGODB_ADDON_HOST',
      'MONGODB_ADDON_DB',
      'MONGODB_ADDON_USER',
      'MONGODB_ADDON_PASSWORD',
      'MONGODB_ADDON_PORT',
      'MONGODB_ADDON_URI',
    ],
    source: {
      url: 'https://www.clever.cloud/developers/doc/reference/reference-environment-variables/#mongodb',
      quote: 'MONGODB_ADDON_HOST … MONGODB_ADDON_DB … MONGODB_ADDON_USER … MONGODB_ADDON_PASSWORD … MONGODB_ADDON_PORT',
    },
  },
  {
    addon: 'Cellar (S3)',
    variables: ['CELLAR_ADDON_HOST', 'CELLAR_ADDON_KEY_ID', 'CELLAR_ADDON_KEY_SECRET'],
    source: {
      url: 'https://www.clever.cloud/developers/doc/addons/cellar/',
      quote:
        'These variables are automatically available in your application when you link a Cellar add-on to it on Clever Cloud, regardless of the runtime',
    },
  },
  {
    addon: 'Elastic Stack',
    variables: ['ES_ADDON_URI', 'ES_ADDON_HOST', 'ES_ADDON_USER', 'ES_ADDON_PASSWORD', 'ES_ADDON_VERSION'],
    source: {
      url: 'https://www.clever.cloud/developers/doc/reference/reference-environment-variables/#elastic-stack',
      quote: 'ES_ADDON_URI … URI to query Elasticsearch',
    },
  },
];

/** What Clever Cloud sets in every application: the port its front sends traffic to. */
export const CLEVER_CLOUD_PROVIDED: { readonly variables: readonly (readonly [string, string])[]; readonly source: Source } = {
  variables: [['PORT', '8080']],
  source: {
    url: 'https://www.clever.cloud/developers/doc/reference/reference-environment-variables/',
    quote: 'PORT | The mandatory port value is 8080 | 8080',
  },
};

/** When Clever Cloud runs a Python app's manage tasks (python.json's `deploy.managetasks`, CC_PYTHON_MANAGE_TASKS). */
export const CLEVER_CLOUD_MANAGE_TASKS: { readonly when: string; readonly source: Source } = {
  when: 'Clever Cloud runs the manage tasks at each deploy, before the web server starts',
  source: {
    url: 'https://www.clever.cloud/developers/guides/python-django-sample/#manage-py-tasks',
    quote: 'The tasks are launched after the dependencies from requirements.txt have been installed, and before the web server starts.',
  },
};

// (read from cloudfoundry/docs-dev-guide at 0152419, the source of the pages cited)
const CF_ENV = 'https://docs.cloudfoundry.org/devguide/deploy-apps/environment-variable.html';

/**
 * What Cloud Foundry sets in every running instance of an app: the port it sends requests to (its
 * example value 8080, allocated by the platform: not known here), the app's attributes and the
 * credentials of the service instances bound to it.
 */
export const CLOUD_FOUNDRY_PROVIDED: { readonly variables: readonly string[]; readonly source: Source } = {
  variables: ['PORT', 'VCAP_APPLICATION', 'CF_INSTANCE_INDEX', 'CF_INSTANCE_GUID', 'MEMORY_LIMIT'],
  source: {
    url: `${CF_ENV}#app-system-env`,
    quote:
      'PORT: The port on which the app should listen for requests. CF allocates a port dynamically for each instance of the app, so code that obtains or uses the app port should refer to it using the PORT environment variable.',
  },
};

/**
 * The variables that tell one instance of a process from the others, so that a start script's test
 * comparing one with a value (`[ "$CF_INSTANCE_INDEX" = 0 ]`, `[ "$DYNO" = web.1 ]`) runs its command
 * on one instance only: Cloud Foundry's instance index (and INSTANCE_INDEX, the alias its runtimes set
 * beside it, as Kf, Google's Cloud Foundry, documents), and the dyno name Heroku sets in every dyno (HEROKU_DYNO).
 */
export const INSTANCE_IDENTITY: readonly { readonly name: string; readonly source: Source }[] = [
  {
    name: 'CF_INSTANCE_INDEX',
    source: {
      url: `${CF_ENV}#CF-INSTANCE-INDEX`,
      quote: 'CF_INSTANCE_INDEX: The index number of the app instance. For example: CF_INSTANCE_INDEX=0',
    },
  },
  {
    name: 'INSTANCE_INDEX',
    source: {
      url: 'https://cloud.google.com/migrate/kf/docs/2.11/cli/kf-env',
      quote:
        'Kf provides the following runtime environment variables: … CF_INSTANCE_INDEX: The index number of the App instance … INSTANCE_INDEX: Alias of CF_INSTANCE_INDEX',
    },
  },
  { name: 'DYNO', source: HEROKU_DYNO.source },
];

/** The bound services' credentials: in VCAP_SERVICES once a service instance is bound (the manifest's `services:`). */
export const CLOUD_FOUNDRY_SERVICES: { readonly variable: 'VCAP_SERVICES'; readonly source: Source } = {
  variable: 'VCAP_SERVICES',
  source: {
    url: `${CF_ENV}#VCAP-SERVICES`,
    quote:
      'For bindable services, CF adds connection details to the VCAP_SERVICES environment variable when you restart your app, after binding a service instance to your app.',
  },
};

/** DATABASE_URL, which Cloud Foundry makes from a bound service whose credentials hold a `uri`. */
export const CLOUD_FOUNDRY_DATABASE_URL: { readonly variable: 'DATABASE_URL'; readonly when: string; readonly source: Source } = {
  variable: 'DATABASE_URL',
  when: 'when a service bound to the app has a uri in its credentials',
  source: {
    url: `${CF_ENV}#DATABASE-URL`,
    quote:
      'For apps bound to certain services that use a database, CF creates a DATABASE_URL environment variable based on the VCAP_SERVICES environment variable.',
  },
};

/**
 * What `cf push` fills into a manifest: `((name))` from `--var` or `--vars-file` at push time. A value
 * holding one is set, its value not in the manifest.
 */
export const CLOUD_FOUNDRY_MANIFEST_VARIABLES: { readonly pattern: RegExp; readonly source: Source } = {
  pattern: /\(\([\w.\-/]{1,100}\)\)/,
  source: {
    url: 'https://docs.cloudfoundry.org/devguide/deploy-apps/manifest.html#variable-substitution',
    quote: 'You can use variables in your app manifest to create app manifests that include values that vary depending on the environment.',
  },
};

/**
 * The variables files `cf push --vars-file` reads into a manifest's `((name))`, by the names that say
 * production's (`vars-production.yml`, `vars/production.yml`), looked for beside the manifest: a
 * staging or development vars file is never production's. A file is a flat YAML map of names to
 * values; a `((name))` none of them gives stays set at push time, its value not known here.
 */
export const CLOUD_FOUNDRY_VARS_FILES: { readonly production: readonly string[]; readonly source: Source } = {
  production: [
    'vars-production.yml',
    'vars-production.yaml',
    'vars-prod.yml',
    'vars-prod.yaml',
    'vars.production.yml',
    'vars.prod.yml',
    'production-vars.yml',
    'prod-vars.yml',
    'vars/production.yml',
    'vars/production.yaml',
    'vars/prod.yml',
    'vars/prod.yaml',
    'vars/vars-production.yml',
    'vars/vars-production.yaml',
    'vars/vars-prod.yml',
    'vars/vars-prod.yaml',
  ],
  source: {
    url: 'https://docs.cloudfoundry.org/devguide/deploy-apps/manifest.html#variable-substitution',
    quote:
      'You can use variables in your app manifest to create app manifests that include values that vary depending on the environment. Then you can push an app using the manifest and a YAML file that contains values for the variables: cf push -f manifest.yml --vars-file /PATH/vars.yml',
  },
};

/**
 * A manifest application's `path:`: the folder `cf push` uploads as the app (relative to the
 * manifest), whose Procfile the buildpack runs when the application sets no `command:`.
 */
export const CLOUD_FOUNDRY_APP_PATH: { readonly source: Source } = {
  source: {
    url: 'https://docs.cloudfoundry.org/devguide/deploy-apps/manifest-attributes.html#path',
    quote: 'You can use the path attribute to tell cf push where to find your app.',
  },
};

/** An application whose manifest sets no `command:` runs its Procfile's process types (the Python buildpack's web process is its `web:`). */
export const CLOUD_FOUNDRY_PROCFILE: { readonly source: Source } = {
  source: {
    url: 'https://docs.cloudfoundry.org/devguide/multiple-processes.html',
    quote: 'You can push an app with multiple processes using either a manifest or a Procfile.',
  },
};

// AWS Copilot (read from aws/copilot-cli at 7b95356, 2024-03-15, the source of the pages cited)
const COPILOT_DOCS = 'https://aws.github.io/copilot-cli/docs';

/**
 * The variables Copilot passes every service: the environment's and the service's names (known from
 * the manifest and the environment it is deployed to), the others not known here.
 */
export const COPILOT_PROVIDED: { readonly variables: readonly string[]; readonly source: Source } = {
  variables: [
    'COPILOT_APPLICATION_NAME',
    'COPILOT_ENVIRONMENT_NAME',
    'COPILOT_SERVICE_NAME',
    'COPILOT_LB_DNS',
    'COPILOT_SERVICE_DISCOVERY_ENDPOINT',
  ],
  source: {
    url: `${COPILOT_DOCS}/developing/environment-variables/#what-are-the-default-environment-variables`,
    quote: 'By default, the AWS Copilot CLI passes in some default environment variables for your service to use.',
  },
};

/**
 * A service manifest's `secrets:`: each name is set from SSM Parameter Store or Secrets Manager
 * where the service runs, its value never in the repository.
 */
export const COPILOT_SECRETS: { readonly source: Source } = {
  source: {
    url: `${COPILOT_DOCS}/manifest/lb-web-service/#secrets`,
    quote:
      'Key-value pairs that represent secret values from AWS Systems Manager Parameter Store or AWS Secrets Manager that will be securely passed to your service as environment variables.',
  },
};

/** A manifest's `environments:` overrides the service's settings in the environment named. */
export const COPILOT_ENVIRONMENT_OVERRIDES: { readonly source: Source } = {
  source: {
    url: `${COPILOT_DOCS}/manifest/lb-web-service/#environments`,
    quote: "The environment section lets you override any value in your manifest based on the environment you're in.",
  },
};

// AWS Elastic Beanstalk (the Python platform on Amazon Linux 2 and 2023)
const EB_DOCS = 'https://docs.aws.amazon.com/elasticbeanstalk/latest/dg';

/**
 * The connection variables Elastic Beanstalk sets in the app's processes when an RDS database is
 * attached to the environment (in the console or with `aws:rds:dbinstance` options), never written
 * in the repository: set, their values not known here.
 */
export const ELASTIC_BEANSTALK_RDS: { readonly variables: readonly string[]; readonly when: string; readonly source: Source } = {
  variables: ['RDS_HOSTNAME', 'RDS_PORT', 'RDS_DB_NAME', 'RDS_USERNAME', 'RDS_PASSWORD'],
  when: 'when a database is attached to the environment',
  source: {
    url: `${EB_DOCS}/create-deploy-python-rds.html`,
    quote:
      "Adding a DB instance takes about 10 minutes. When the environment update is complete, the DB instance's hostname and other connection information are available to your application through the following environment properties: RDS_HOSTNAME – The hostname of the DB instance. … RDS_PORT – The port on which the DB instance accepts connections. … RDS_DB_NAME – The database name, ebdb. … RDS_USERNAME – The user name that you configured for your database. … RDS_PASSWORD – The password that you configured for your database.",
  },
};

/**
 * What the Python platform runs without a Procfile: Gunicorn, on 127.0.0.1:8000 behind the nginx of
 * the instance, serving the `WSGIPath` option (`aws:elasticbeanstalk:container:python`), whose
 * default is `application`; with NumProcesses workers (default 1) of NumThreads threads (default
 * 15). A Procfile at the source bundle's root replaces it and those options.
 */
export const ELASTIC_BEANSTALK_PYTHON: {
  readonly namespace: string;
  readonly wsgiPathDefault: string;
  readonly bind: string;
  readonly processes: number;
  readonly threads: number;
  readonly source: Source;
  readonly procfile: Source;
} = {
  namespace: 'aws:elasticbeanstalk:container:python',
  wsgiPathDefault: 'application',
  bind: '127.0.0.1:8000',
  processes: 1,
  threads: 15,
  source: {
    url: `${EB_DOCS}/command-options-specific.html#command-options-python`,
    quote:
      'Namespace: aws:elasticbeanstalk:container:python … WSGIPath … The file that contains the WSGI application. This file must have an application callable. … On Amazon Linux 2 Python platform versions: application … NumProcesses … The number of daemon processes that should be started for the process group when running WSGI applications. … 1 … NumThreads … The number of threads to be created to handle requests in each daemon process within the process group when running WSGI applications. … 15',
    // the page's table (Name, Description, Default, Valid values), read in the guide's source,
    // awsdocs/aws-elastic-beanstalk-developer-guide doc_source/command-options-specific.md
    versions: 'Amazon Linux 2 and later Python platform versions (Amazon Linux AMI: WSGIPath application.py)',
  },
  procfile: {
    url: `${EB_DOCS}/python-configuration-procfile.html`,
    quote:
      'When you use a Procfile, it overrides aws:elasticbeanstalk:container:python namespace options that you set using configuration files. … The default port for the WSGI server is 8000.',
  },
};

/** The environment properties an `.ebextensions` configuration file sets (`option_settings`, this namespace). */
export const ELASTIC_BEANSTALK_ENVIRONMENT: { readonly namespace: string; readonly source: Source } = {
  namespace: 'aws:elasticbeanstalk:application:environment',
  source: {
    url: `${EB_DOCS}/environments-cfg-softwaresettings.html`,
    quote:
      'Environment properties are passed in as key-value pairs to the application. … option_settings: aws:elasticbeanstalk:application:environment: API_ENDPOINT: www.example.com/api',
  },
};

/**
 * The release steps of a deploy: `container_commands` (after the app is unpacked, before it is
 * deployed; `leader_only: true` on one instance only) and the platform hooks
 * `.platform/hooks/{prebuild,predeploy,postdeploy}/*` (on every instance).
 */
export const ELASTIC_BEANSTALK_RELEASE: { readonly hooks: readonly string[]; readonly source: Source; readonly hooksSource: Source } = {
  hooks: ['prebuild', 'predeploy', 'postdeploy'],
  source: {
    url: `${EB_DOCS}/customize-containers-ec2.html#linux-container-commands`,
    quote:
      'You can use the container_commands key to execute commands that affect your application source code. Container commands run after the application and web server have been set up and the application version archive has been extracted, but before the application version is deployed. … leader_only (Optional) Only run the command on a single instance chosen by Elastic Beanstalk. Leader-only container commands are run before other container commands.',
  },
  hooksSource: {
    url: `${EB_DOCS}/platforms-linux-extend.hooks.html`,
    quote:
      'To provide platform hooks that run during an application deployment, place the files under the .platform/hooks directory in your source bundle, in one of the following subdirectories. prebuild – Files here run after the Elastic Beanstalk platform engine downloads and extracts the application source bundle, and before it sets up and configures the application and web server. … predeploy – Files here run after the Elastic Beanstalk platform engine sets up and configures the application and web server, and before it deploys them to their final runtime location. … postdeploy – Files here run after the Elastic Beanstalk platform engine deploys the application and proxy server.',
  },
};

/**
 * The platforms that set WEB_CONCURRENCY in the app's processes themselves, which gunicorn takes for
 * its worker count when nothing sets `workers` (catalogue/gunicornSettings.ts: "$WEB_CONCURRENCY or
 * 1"): Heroku's Python buildpack does at every dyno's start, from the dyno's memory and CPU cores,
 * unless the app sets it. The same buildpack runs where another platform builds an app with it
 * (Dokku's herokuish, DigitalOcean App Platform's Python buildpack), and there it sets the variable
 * only where it can read the container's memory limit (cgroup v1): maybe. `buildpack`: only where
 * the platform builds the app with that buildpack (not from a Dockerfile, not heroku.yml's container
 * stack), which the request path's hop says (models/requestPath/path.ts). A platform not listed
 * here sets no WEB_CONCURRENCY of its own: a gunicorn it runs without `workers` runs one worker.
 */
export const WEB_CONCURRENCY_SETTERS: readonly {
  /** The hop kind of the platform (catalogue/hops.ts). */
  readonly platform: 'heroku' | 'dokku' | 'digitalocean';
  readonly sets: 'yes' | 'maybe';
  /** Only for an app the platform builds with Heroku's Python buildpack. */
  readonly buildpack: boolean;
  /** What sets it, for messages. */
  readonly how: string;
  readonly sources: readonly Source[];
}[] = [
  {
    platform: 'heroku',
    sets: 'yes',
    buildpack: true,
    how: "Heroku's Python buildpack sets WEB_CONCURRENCY from the dyno's size (on Cedar dynos; not on Fir)",
    sources: [
      {
        url: 'https://devcenter.heroku.com/articles/python-concurrency#default-settings-and-behavior',
        quote:
          'When booting an application, the Heroku Python buildpack automatically detects the CPU and memory specifications of the current dyno type. It sets the WEB_CONCURRENCY environment variable to a suitable default value … We don’t set a WEB_CONCURRENCY environment variable for Fir dynos.',
        versions: 'page updated 2024-12-03',
      },
      {
        url: 'https://github.com/heroku/heroku-buildpack-python/blob/main/vendor/WEB_CONCURRENCY.sh',
        quote:
          "# This script was created by the Python buildpack to automatically set the `WEB_CONCURRENCY` environment variable at dyno boot (if it's not already set), based on the available memory and number of CPU cores.",
      },
    ],
  },
  {
    platform: 'dokku',
    sets: 'maybe',
    buildpack: true,
    how: "Heroku's Python buildpack, which Dokku builds the app with, sets WEB_CONCURRENCY only where it can read the container's memory limit",
    sources: [
      {
        url: 'https://github.com/heroku/heroku-buildpack-python/blob/main/vendor/WEB_CONCURRENCY.sh',
        quote:
          '# This memory limits file only exists on Heroku, or when using cgroups v1 (Docker < 20.10). … # This should never occur on Heroku, but will be common for non-Heroku environments such as Dokku. output "Couldn\'t determine available memory. Skipping automatic configuration of WEB_CONCURRENCY."',
      },
    ],
  },
  {
    platform: 'digitalocean',
    sets: 'maybe',
    buildpack: false,
    how: "App Platform builds a Python app without a Dockerfile with Heroku's Python buildpack, which sets WEB_CONCURRENCY only where it can read the container's memory limit",
    sources: [
      {
        url: 'https://docs.digitalocean.com/products/app-platform/reference/buildpacks/python/',
        quote:
          'heroku-buildpack-python is utilized as the buildpack for detecting and building your Python applications and applications using Python frameworks such as Flask.',
      },
      {
        url: 'https://github.com/heroku/heroku-buildpack-python/blob/main/vendor/WEB_CONCURRENCY.sh',
        quote: 'output "Couldn\'t determine available memory. Skipping automatic configuration of WEB_CONCURRENCY."',
      },
    ],
  },
];
