// What `oc process` does with an OpenShift Template (template.openshift.io/v1, `kind: Template`):
// the objects it creates, and how it fills in the template's parameters. The Kubernetes readers
// read a Template's objects with these facts (readers/kubernetes/objects.ts); rules never state them.
import type { Fact } from './facts';

/** The template's `objects` are the resources processing it creates (as a `kind: List`'s items). */
export const TEMPLATE_OBJECTS: Fact<true> = {
  value: true,
  source: {
    url: 'https://docs.redhat.com/en/documentation/openshift_container_platform/4.12/html/template_apis/template-template-openshift-io-v1',
    quote:
      'objects is an array of resources to include in this template. If a namespace value is hardcoded in the object, it will be removed during template instantiation, however if the namespace value is, or contains, a ${PARAMETER_REFERENCE}, the resolved value after parameter substitution will be respected',
  },
};

/**
 * A parameter is referenced as `${NAME}` (inside a string, several per field) or `${{NAME}}` (a whole
 * field, a JSON or YAML value) and replaced by its value wherever it is referenced when the template
 * is processed.
 */
export const TEMPLATE_REFERENCES: Fact<true> = {
  value: true,
  source: {
    url: 'https://docs.openshift.com/container-platform/4.12/openshift_images/using-templates.html#templates-writing-parameters_using-templates',
    quote:
      'As a string value by placing values in the form ${PARAMETER_NAME} in any string field in the template. As a JSON or YAML value by placing values in the form ${{PARAMETER_NAME}} in place of any field in the template.',
  },
};

/**
 * A parameter's `value:` is a default, used when processing gives no other value (`oc process -p
 * NAME=…` does): as written unless overridden.
 */
export const TEMPLATE_DEFAULT: Fact<'unless-overridden'> = {
  value: 'unless-overridden',
  knob: 'oc process -p NAME=value',
  source: {
    url: 'https://docs.openshift.com/container-platform/4.12/openshift_images/using-templates.html#templates-writing-parameters_using-templates',
    quote: 'You can provide a default value which is used if you do not provide a different value',
  },
};

/**
 * A `generate: expression` parameter (with no `value:`) is a random string generated from its `from`
 * pattern each time the template is processed: never a value written in the repository.
 */
export const TEMPLATE_GENERATED: Fact<true> = {
  value: true,
  source: {
    url: 'https://docs.redhat.com/en/documentation/openshift_container_platform/4.12/html/template_apis/template-template-openshift-io-v1',
    quote:
      'generate specifies the generator to be used to generate random string from an input value specified by From field. The result string is stored into Value field. (…) value holds the Parameter data. If specified, the generator will be ignored.',
  },
};

/** A `required: true` parameter must have a value: processing refuses to go on without one. */
export const TEMPLATE_REQUIRED: Fact<true> = {
  value: true,
  source: {
    url: 'https://docs.redhat.com/en/documentation/openshift_container_platform/4.12/html/template_apis/template-template-openshift-io-v1',
    quote: 'Optional: Indicates the parameter must have a value. Defaults to false.',
  },
};

/**
 * A DeploymentConfig's ImageChange trigger sets the image of the containers its `containerNames`
 * names to the image an image stream tag (`from`, by name; its namespace the DeploymentConfig's
 * unless written) holds: the container runs that image, whatever its `image:` writes (readers/kubernetes/openshiftImages.ts).
 */
export const DC_IMAGE_CHANGE_TRIGGER: Fact<true> = {
  value: true,
  source: {
    url: 'https://docs.redhat.com/en/documentation/openshift_container_platform_api/4.12/html/workloads_apis/deploymentconfig-apps-openshift-io-v1',
    quote:
      'ContainerNames is used to restrict tag updates to the specified set of container names in a pod. (…) From is a reference to an image stream tag to watch for changes. From.Name is the only required subfield - if From.Namespace is blank, the namespace of the current deployment trigger will be used.',
  },
};

/**
 * A Docker strategy BuildConfig builds the Dockerfile named `Dockerfile` at the root of
 * `spec.source.contextDir` unless `dockerfilePath` names another, relative to contextDir.
 */
export const BUILDCONFIG_DOCKERFILE_PATH: Fact<'Dockerfile'> = {
  value: 'Dockerfile',
  knob: 'spec.strategy.dockerStrategy.dockerfilePath',
  source: {
    url: 'https://docs.redhat.com/en/documentation/openshift_container_platform/3.11/html/developer_guide/dockerfile-path',
    quote:
      'By default, Docker builds use a Dockerfile (named Dockerfile) located at the root of the context specified in the BuildConfig.spec.source.contextDir field. The dockerfilePath field allows the build to use a different path to locate your Dockerfile, relative to the BuildConfig.spec.source.contextDir field.',
  },
};

/**
 * A Kubernetes workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) requests the same
 * with its `image.openshift.io/triggers` annotation: a JSON list whose `from` names an
 * ImageStreamTag and whose `fieldPath` names the container (`containers[?(@.name=="web")].image`).
 */
export const IMAGE_TRIGGERS_ANNOTATION: Fact<'image.openshift.io/triggers'> = {
  value: 'image.openshift.io/triggers',
  source: {
    url: 'https://docs.openshift.com/container-platform/4.8/openshift_images/triggering-updates-on-imagestream-changes.html',
    quote:
      'When one of the core Kubernetes resources contains both a pod template and this annotation, OpenShift Container Platform attempts to update the object by using the image currently associated with the image stream tag that is referenced by trigger. The update is performed against the fieldPath specified.',
  },
};
