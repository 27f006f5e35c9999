// Platform files: fly.toml, render.yaml, Google App Engine's app.yaml, DigitalOcean's app spec
// (.do/app.yaml, .do/deploy.template.yaml), Heroku's app.json and heroku.yml, railway.json /
// railway.toml, nixpacks.toml, Clever Cloud's clevercloud/python.json and the Cloud Run services of a
// Terraform file or a Cloud Build configuration (cloudRun.ts). Each is read with its real grammar (TOML through smol-toml, YAML
// and JSON through the `yaml` package, which reads JSON as the YAML it is) into the processes the
// platform starts: their command, the variables it sets, how many instances run, the port it sends
// traffic to and the health check it makes. What each platform does when the file says nothing is
// said where it matters (fly.io starts two machines of a process group that serves HTTP; render and
// App Engine set PORT).
//
// This module tells the platform by the file's name and hands the file to its reader: fly.ts,
// render.ts, appEngine.ts, digitalOcean.ts, heroku.ts, railway.ts (with nixpacks), cleverCloud.ts, cloudFoundry.ts, copilot.ts (AWS Copilot's copilot/<service>/manifest.yml), elasticBeanstalk.ts (AWS Elastic Beanstalk's
// .ebextensions/*.config, read by readers/deploy.ts with the bundle's other files); common.ts and
// toml.ts hold what they share. A template of a platform file CI renders (`app.yaml.tmpl`) is read as
// the file it renders, what it fills in set but unknown (template.ts).
import { isCfManifestName, isCloudBuildName, isCopilotManifestPath, platformTemplateOf } from '../../files/scan';
import { memoByText } from '../text';
import type { DeployFile } from '../workload';
import { readAppEngine } from './appEngine';
import { readCleverCloud } from './cleverCloud';
import { readCloudFoundry } from './cloudFoundry';
import { readCloudBuild, readTerraformCloudRun } from './cloudRun';
import { readCopilot } from './copilot';
import { isEbCliConfig, isEbExtensionsConfig } from './elasticBeanstalk';
import { readDigitalOcean } from './digitalOcean';
import { readFly } from './fly';
import { readAppJson, readHerokuYml } from './heroku';
import { readNixpacks, readRailway } from './railway';
import { readRender } from './render';
import { asTemplate, templateText } from './template';

/**
 * The platform a file name says, if any (`app.yaml` is told apart by its content); a template of a
 * platform file (`app.yaml.tmpl`, files/scan.ts platformTemplateOf) says the platform of the file it renders.
 */
export function platformOf(relPath: string): string | undefined {
  const slashed = relPath.replace(/\\/g, '/');
  const parts = (platformTemplateOf(slashed)?.rendered ?? slashed).split('/');
  const name = parts[parts.length - 1]!;
  const dir = parts.length > 1 ? parts[parts.length - 2] : '';
  if (name === 'fly.toml' || /^fly\.[\w.-]+\.toml$/.test(name)) return 'fly';
  if (name === 'render.yaml' || name === 'render.yml') return 'render';
  if (dir === '.do' && /\.ya?ml$/.test(name)) return 'digitalocean';
  if (name === 'app.yaml' || name === 'app.yml') return 'appengine';
  if (name === 'app.json') return 'heroku-app';
  if (name === 'heroku.yml') return 'heroku-yml';
  if (name === 'railway.json' || name === 'railway.toml') return 'railway';
  if (name === 'nixpacks.toml') return 'nixpacks';
  if (dir === 'clevercloud' && name === 'python.json') return 'clevercloud';
  // Cloud Run services: a Cloud Build step's `gcloud run deploy`, Terraform's google_cloud_run_service (cloudRun.ts)
  if (isCloudBuildName(name)) return 'cloudbuild';
  if (name.endsWith('.tf')) return 'terraform';
  // (read with the bundle's other files: readers/deploy.ts, elasticBeanstalk.ts)
  if (isEbExtensionsConfig(parts.join('/')) || isEbCliConfig(parts.join('/'))) return 'elasticbeanstalk';
  // (told from other YAML by its content: files/scan.ts looksLikeCopilotManifest)
  if (isCopilotManifestPath(parts.join('/'))) return 'copilot';
  // (a Kubernetes file of the same name is told apart by its content: files/scan.ts looksLikeCfManifest)
  if (isCfManifestName(name)) return 'cloudfoundry';
  return undefined;
}

// ---- entry -----------------------------------------------------------------------------------------------

function readPlatformFile(file: string, text: string): DeployFile | undefined {
  return readAsRendered(file, text, (t) => readByPlatform(file, t));
}

/**
 * `read` of the file's text, or, for a platform file's template (`app.yaml.tmpl`), of the text it
 * renders, each variable it fills in set but unknown (template.ts).
 */
export function readAsRendered(file: string, text: string, read: (text: string) => DeployFile | undefined): DeployFile | undefined {
  const template = platformTemplateOf(file.replace(/\\/g, '/'));
  if (!template) return read(text);
  const got = read(templateText(text));
  return got ? asTemplate(file, text, template.syntax, got) : undefined;
}

function readByPlatform(file: string, text: string): DeployFile | undefined {
  const platform = platformOf(file);
  try {
    switch (platform) {
      case 'fly':
        return readFly(file, text);
      case 'render':
        return readRender(file, text);
      case 'digitalocean':
        return readDigitalOcean(file, text);
      case 'appengine':
        return readAppEngine(file, text);
      case 'heroku-app':
        return readAppJson(file, text);
      case 'heroku-yml':
        return readHerokuYml(file, text);
      case 'railway':
        return readRailway(file, text);
      case 'nixpacks':
        return readNixpacks(file, text);
      case 'clevercloud':
        return readCleverCloud(file, text);
      case 'cloudfoundry':
        return readCloudFoundry(file, text);
      case 'copilot':
        return readCopilot(file, text);
      case 'cloudbuild':
        return readCloudBuild(file, text);
      case 'terraform':
        return readTerraformCloudRun(file, text);
      default:
        return undefined;
    }
  } catch {
    // a file the reader cannot make sense of is no evidence
    return undefined;
  }
}

/** Reads a platform file by its name (each text once). */
export const parsePlatformFile = memoByText(readPlatformFile);
