// Programs that generate Kubernetes manifests: production's deployment written as code (a cdk8s
// app, a Pulumi program with the Kubernetes provider, a Tanka environment's Jsonnet, or a script of
// the project's own that prints the objects as YAML). The analysis does not run them, so what they
// deploy — the environment they give the app, the command they run — is not read; where the
// repository deploys through one, production's environment is open (readers/kubernetes/manifestGenerators.ts).
import type { Fact, Source } from './facts';

/** A tool that generates Kubernetes manifests from a program, and how its programs are told. */
export interface ManifestGeneratorTool {
  readonly id: 'cdk8s' | 'pulumi-kubernetes' | 'tanka' | 'program';
  /** As messages name it. */
  readonly name: string;
  /** What a program of it is, for a message: "a cdk8s app". */
  readonly noun: string;
  /**
   * Words a program of the tool holds (its import), read as plain substrings; empty for a program of
   * the project's own (told by the Kubernetes objects its text builds).
   */
  readonly imports: readonly string[];
  readonly source: Source;
}

export const MANIFEST_GENERATORS: readonly ManifestGeneratorTool[] = [
  {
    id: 'cdk8s',
    name: 'cdk8s',
    noun: 'a cdk8s app',
    imports: ["from 'cdk8s", 'from "cdk8s', 'import cdk8s', 'from cdk8s', "require('cdk8s", 'require("cdk8s'],
    source: {
      url: 'https://cdk8s.io/docs/latest/',
      quote:
        'cdk8s apps synthesize into standard Kubernetes manifests which can be applied to any Kubernetes cluster. … `cdk8s synth`: Synthesizes Kubernetes manifests for all charts in your app (written to the output directory, "dist" by default).',
      versions: 'cdk8s 2.x',
    },
  },
  {
    id: 'pulumi-kubernetes',
    name: 'Pulumi (Kubernetes provider)',
    noun: 'a Pulumi program',
    imports: ['@pulumi/kubernetes', 'pulumi_kubernetes'],
    source: {
      url: 'https://www.pulumi.com/registry/packages/kubernetes/',
      quote:
        'The Kubernetes resource provider for Pulumi lets you create, deploy, and manage Kubernetes API resources and workloads in a running cluster. … `new k8s.apps.v1.Deployment(…)`',
      versions: '@pulumi/kubernetes 4.x, pulumi-kubernetes 4.x',
    },
  },
  {
    id: 'tanka',
    name: 'Grafana Tanka (Jsonnet)',
    noun: 'a Tanka environment',
    imports: ['k.libsonnet', 'k8s-libsonnet', 'ksonnet-util'],
    source: {
      url: 'https://tanka.dev/tutorial/jsonnet',
      quote:
        'When using Tanka, you apply configuration for an Environment to a Kubernetes cluster. … environments/default/main.jsonnet: main file (important!); spec.json: environment’s config.',
      versions: 'Tanka 0.2x and later',
    },
  },
  {
    id: 'program',
    name: 'a program of the project',
    noun: 'a program of the project',
    imports: [],
    source: {
      url: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/',
      quote:
        'Most often, you provide the information to kubectl in a file known as a manifest. By convention, manifests are YAML (you could also use JSON format). — a program that prints the objects it builds (`kind: "Deployment"`, `env: [{name, valueFrom: {secretKeyRef: …}}]`) as YAML is one such file’s author; what it prints is known only when it runs.',
    },
  },
];

/**
 * What a container's `command` and `args` do to its image's ENTRYPOINT and CMD: `args` alone runs
 * the image's ENTRYPOINT with them in place of its CMD; `command` replaces the ENTRYPOINT (and the
 * CMD with it).
 */
export const KUBERNETES_COMMAND_ARGS: Fact<'args-replace-cmd'> = {
  value: 'args-replace-cmd',
  knob: 'containers[].command, containers[].args',
  source: {
    url: 'https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/',
    quote:
      'The command and arguments that you define in the configuration file override the default command and arguments provided by the container image. If you define args, but do not define a command, the default command is used with your new arguments. Note: The command field corresponds to ENTRYPOINT, and the args field corresponds to CMD in some container runtimes.',
  },
};
