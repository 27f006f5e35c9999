// The hops in front of the app that the deployment files describe, as the process model exposes
// them (ProcessModel.edges): Kubernetes Ingresses (with the controller that serves each, its TLS,
// annotations and backends), Traefik's routers (from compose labels, its file provider or its
// Kubernetes resources) with the Traefik that serves them and whether it redirects HTTP to HTTPS,
// the compose services nginx-proxy proxies (their VIRTUAL_HOST) with its variables, and the app's ports a production compose file publishes on every interface beside its proxy.
// Each one says whether it is production's, and whether it fronts this project's app: its tie.
import type { Loc } from '../../../eval/values';
import type {
  HttpRouteRule,
  IngressAnnotation,
  IngressBackend,
  IngressClassObject,
  IngressLegacy,
  IngressTlsEntry,
  K8sText,
  OpenShiftRouteObject,
} from '../../../readers/kubernetes/ingress';
import type { NginxFile } from '../../../readers/proxy/nginx';
import type { TraefikMiddleware, TraefikStatic, TraefikText } from '../../../readers/proxy/traefik';

export type {
  IngressAnnotation,
  IngressBackend,
  IngressClassObject,
  IngressLegacy,
  IngressTlsEntry,
  K8sText,
  TraefikMiddleware,
  TraefikStatic,
  TraefikText,
};

/**
 * Whether a hop sends its requests to this project's production app:
 * - 'app': it reaches a workload or compose service that runs the app (why says how: the Service
 *   whose selector matches the pods of a Deployment whose container runs gunicorn…);
 * - 'other': everything it reaches runs something else (a frontend, a monitoring tool, a database…);
 * - 'unknown': it cannot be told (why: a Service not in the repository, a name the values do not
 *   decide, an image whose command is not known…).
 */
export type EdgeTie =
  | { readonly state: 'app'; readonly why: string; readonly via?: ProxyConfigMap }
  | { readonly state: 'other'; readonly why: string }
  | { readonly state: 'unknown'; readonly why: string };

/**
 * The proxy of a deployment set whose pods a hop reaches on its way to the app (an nginx Deployment
 * in front of the app's Service): the ConfigMap holding its configuration, and the file it is in.
 */
export interface ProxyConfigMap {
  readonly name: string;
  readonly file: string;
  /** Its values that read as nginx configuration, parsed (readers/kubernetes/configMapNginx.ts). */
  readonly nginx: readonly NginxFile[];
}

/** Where a Kubernetes object comes from: a manifest, what a kustomization builds, or a Helm chart's template. */
export interface K8sSource {
  readonly kind: 'manifest' | 'kustomization' | 'helm';
  /** The manifest file, the kustomization file, or the chart's Chart.yaml. */
  readonly file: string;
  /** A Helm chart's values: the files used (values.yaml first), and why those. */
  readonly values?: {
    readonly files: readonly string[];
    readonly why: string;
    /** Only the chart's defaults are read: a release may be installed with other values (ChartValues.defaultsOnly). */
    readonly defaultsOnly?: true;
  };
  /** What the kustomization does not read (remote resources, components…). */
  readonly notes?: readonly string[];
}

/** The ingress controller that serves an Ingress. */
export interface IngressController {
  /**
   * 'ingress-nginx' (the Kubernetes project's controller), 'traefik', 'other' (another
   * controller: F5's NGINX, AWS's load balancer controller, GKE, Azure's application gateway…) or
   * 'unknown' (no class: the cluster's default, not in the repository; or evidence that disagrees);
   * 'openshift': OpenShift's ingress-to-route controller, which makes the Ingress a Route served by
   * OpenShift's router (its IngressClass's controller, or no class where the repository deploys to
   * OpenShift: catalogue OPENSHIFT_INGRESS_TO_ROUTE).
   */
  readonly kind: 'ingress-nginx' | 'traefik' | 'openshift' | 'other' | 'unknown';
  /** Which other controller, or the IngressClass's spec.controller as written ("F5 NGINX Ingress Controller", "alb"). */
  readonly name?: string;
  /** What says so ("ingressClassName: nginx", "the IngressClass nginx (controller k8s.io/ingress-nginx)", "its nginx.ingress.kubernetes.io annotations"). */
  readonly why: string;
  /** Where that is written. */
  readonly loc?: Loc;
  /**
   * Presumed rather than shown: why ("presumed from its nginx.ingress.kubernetes.io annotations; no
   * ingressClassName"): only its annotations say which controller it is (catalogue
   * INGRESS_NGINX_ANNOTATIONS), the class that serves it being the cluster's; or OpenShift's
   * ingress-to-route controller presumed from what shows the repository deploys to OpenShift.
   */
  readonly presumed?: string;
}

/** Whether an Ingress terminates TLS (spec.tls, or Traefik's router.tls annotation). */
export type IngressTls =
  | {
      readonly state: 'yes';
      /** The hosts of every TLS entry. */
      readonly hosts: readonly K8sText[];
      /** The first entry's secret (none: the controller's default certificate). */
      readonly secretName?: K8sText;
      readonly loc: Loc;
      readonly entries: readonly IngressTlsEntry[];
      /** How, when not spec.tls ("the annotation traefik.ingress.kubernetes.io/router.tls"). */
      readonly via?: string;
    }
  | { readonly state: 'no'; readonly why: string }
  | { readonly state: 'unknown'; readonly why: string; readonly loc?: Loc };

/** An Ingress the deployment files deploy (or may: see deployed). */
export interface IngressEdge {
  /** The file its `kind: Ingress` is written in (a Helm template, a kustomization's base…). */
  readonly file: string;
  /** Where its `kind:` is written. */
  readonly loc: Loc;
  readonly apiVersion: string;
  readonly name?: K8sText;
  readonly namespace?: K8sText;
  readonly source: K8sSource;
  /** Production's: not in a development or test file, folder, overlay or chart (readers/devPaths.ts). */
  readonly production: boolean;
  readonly devReason?: string;
  /** 'unknown' when a Helm condition the values do not decide renders it (`{{ if .Values.ingress.enabled }}` not set). */
  readonly deployed: { readonly state: 'yes' } | { readonly state: 'unknown'; readonly why: string };
  /** Its class: spec.ingressClassName, else the kubernetes.io/ingress.class annotation. */
  readonly className?: K8sText & { readonly from: 'spec.ingressClassName' | 'annotation kubernetes.io/ingress.class' };
  readonly controller: IngressController;
  readonly tls: IngressTls;
  /** The hosts of its rules. */
  readonly hosts: readonly K8sText[];
  /** Its annotations with their values (a value the values files do not decide is dynamic, never guessed). */
  readonly annotations: readonly IngressAnnotation[];
  /** There are annotations not known (a template inserts them from values not known): why. */
  readonly unknownAnnotations?: string;
  /** Its paths' backends and its default backend, each with its tie. */
  readonly backends: readonly (IngressBackend & { readonly tie: EdgeTie })[];
  /** Fields a networking.k8s.io/v1 Ingress may no longer use (serviceName, servicePort, a path without pathType). */
  readonly legacy: readonly IngressLegacy[];
  /** 'app' when a backend reaches the app; 'other' when every backend reaches something else; else 'unknown'. */
  readonly tie: EdgeTie;
}

/** An Ingress of a Helm template that the chart's values turn off (not deployed). */
export interface IngressOff {
  readonly file: string;
  readonly loc: Loc;
  readonly source: K8sSource;
  /** "ingress.enabled is false (set in values.yaml)". */
  readonly why: string;
  readonly production: boolean;
}

/** An IngressClass of the deployment files. */
export interface IngressClassEdge extends IngressClassObject {
  readonly file: string;
  readonly production: boolean;
}

/** A Traefik that serves routers of the repository: a compose service running Traefik. */
export interface TraefikInstance {
  /** "docker-compose.prod.yml (service traefik)". */
  readonly label: string;
  readonly composeFile: string;
  readonly service: string;
  readonly loc: Loc;
  readonly production: boolean;
  readonly devReason?: string;
  /** Its static configuration, when the repository has it; undefined: see staticWhy. */
  readonly static?: TraefikStatic;
  /** Where the static configuration is read from, or why it is not known ("traefik.yml mounted from outside the repository"). */
  readonly staticWhy: string;
  /**
   * Whether an entry point redirects every request to another (the HTTP→HTTPS redirection):
   * 'yes' (which entry point, to which, where), 'no' (the static configuration is in the
   * repository and has none), 'unknown' (it is not: why).
   */
  readonly entryPointRedirect:
    | { readonly state: 'yes'; readonly from: string; readonly to: TraefikText; readonly loc: Loc }
    | { readonly state: 'no'; readonly why: string }
    | { readonly state: 'unknown'; readonly why: string };
}

/** A middleware a router uses, resolved when its definition is in the repository. */
export interface TraefikMiddlewareUse {
  /** As the router names it (`redirect@file`, `hsts`). */
  readonly name: string;
  readonly loc: Loc;
  /** Its definition; undefined when not found (another provider, outside the repository). */
  readonly middleware?: TraefikMiddleware;
  /** Applied to every router of this entry point (the static configuration's entryPoints.<name>.http.middlewares). */
  readonly fromEntryPoint?: string;
}

/** A Traefik router of the repository. */
export interface TraefikRouter {
  readonly name: string;
  /** Where it is defined: compose labels, a file the file provider reads, an IngressRoute. */
  readonly provider: 'docker' | 'file' | 'kubernetescrd';
  readonly file: string;
  readonly loc: Loc;
  readonly production: boolean;
  readonly devReason?: string;
  readonly rule?: TraefikText;
  /** The entry points it listens on; undefined: every entry point. */
  readonly entryPoints?: { readonly names: readonly string[]; readonly loc: Loc };
  /** TLS: on the router (tls=true, a certResolver, an IngressRoute's tls) or on its entry point; undefined without. */
  readonly tls?: { readonly loc: Loc; readonly certResolver?: TraefikText; readonly via: 'router' | 'entrypoint' };
  /**
   * Every entry point it listens on has TLS in its Traefik's static configuration (catalogue
   * TRAEFIK_TLS_ENTRYPOINT): their names and where the first's TLS is written; it takes HTTPS only.
   */
  readonly tlsEntryPoints?: { readonly names: readonly string[]; readonly loc: Loc };
  /** Its middlewares, in order (its entry points' first). */
  readonly middlewares: readonly TraefikMiddlewareUse[];
  /** The service it sends requests to, when named. */
  readonly service?: TraefikText;
  /** The compose service whose labels define it (docker provider). */
  readonly composeService?: string;
  /** The compose file of those labels. */
  readonly composeFile?: string;
  /**
   * Where its requests go: a compose service (the labels' own, or one a file provider's URL names),
   * a Kubernetes Service (IngressRoute), or a URL; with how that is known.
   */
  readonly target?: { readonly composeService?: string; readonly k8sService?: string; readonly url?: string; readonly how: string };
  /** Made by Traefik for a container with `traefik.enable=true` and no router of its own (rule from its defaultRule). */
  readonly implicit?: boolean;
  /** The Traefik that serves it; undefined when it runs outside the repository. */
  readonly instance?: TraefikInstance;
  /**
   * Whether plain HTTP for this router is redirected to HTTPS: 'yes' by its Traefik's entry point
   * redirection or by a redirectScheme middleware (of the router, or of a router with the same rule
   * on the plain entry point), where; 'no' when its Traefik's configuration is in the repository and
   * nothing redirects; 'unknown' (why).
   */
  readonly httpsRedirect:
    | { readonly state: 'yes'; readonly how: 'entrypoint' | 'middleware'; readonly loc: Loc; readonly why: string }
    | { readonly state: 'no'; readonly why: string }
    | { readonly state: 'unknown'; readonly why: string };
  readonly tie: EdgeTie;
}

export interface TraefikEdges {
  readonly instances: readonly TraefikInstance[];
  readonly routers: readonly TraefikRouter[];
  /** Every middleware defined in the repository (labels, file provider, Middleware resources). */
  readonly middlewares: readonly TraefikMiddleware[];
}

/** A variable nginx-proxy or acme-companion reads, as compose gives it to the container. */
export interface NginxProxyValue {
  readonly text: string;
  readonly loc: Loc;
  /** Written in the repository (not interpolated from where compose runs, not a template). */
  readonly known: boolean;
  /** The value is compose's default for this variable of the shell compose runs in: it runs unless that is set. */
  readonly unlessSet?: string;
  /** Read from the committed template of an env file the repository does not hold: which ("….example (the template of ./.env)"). */
  readonly template?: string;
  /** Written into an env file the repository does not hold by a script production's deploy runs: "./.env, which apps/setup_env.ci.sh writes". */
  readonly writtenBy?: string;
}

/** An nginx-proxy compose service (or docker-gen running its template). */
export interface NginxProxyInstance {
  /** "docker-compose.prod.yml (service nginx-proxy)". */
  readonly label: string;
  readonly composeFile: string;
  readonly service: string;
  readonly loc: Loc;
  readonly production: boolean;
  readonly devReason?: string;
  /** Its variables that change what it does for every host (HTTPS_METHOD, HSTS, DISABLE_ACCESS_LOGS, TRUST_DOWNSTREAM_PROXY…). */
  readonly env: ReadonlyMap<string, NginxProxyValue>;
  /** It mounts /etc/nginx/certs: certificates put there from outside the repository. */
  readonly certsMounted: boolean;
  /** The acme-companion service beside it (its compose file's, else the repository's only one). */
  readonly companion?: { readonly label: string; readonly loc: Loc };
}

/** A compose service nginx-proxy proxies: its environment sets VIRTUAL_HOST. */
export interface NginxProxyVhost {
  readonly composeFile: string;
  readonly service: string;
  /** Where VIRTUAL_HOST is written (the service's name when an env_file not in the repository may set it). */
  readonly loc: Loc;
  /** VIRTUAL_HOST; undefined when the service is beside nginx-proxy with an env_file not in the repository (hostUnread names it). */
  readonly host?: NginxProxyValue;
  readonly hostUnread?: string;
  /**
   * With hostUnread: why the proxy is presumed to serve it all the same (its compose file's nginx-proxy
   * mounts the Docker socket and it is the only other service opening a port): its VIRTUAL_HOST and
   * LETSENCRYPT_HOST are presumed to be in that env file.
   */
  readonly hostPresumed?: string;
  readonly production: boolean;
  readonly devReason?: string;
  /** ACME_HOST (or LETSENCRYPT_HOST): acme-companion obtains a certificate for it. */
  readonly acmeHost?: NginxProxyValue;
  /** The container's own HTTPS_METHOD and HSTS, which win over the proxy's. */
  readonly httpsMethod?: NginxProxyValue;
  readonly hsts?: NginxProxyValue;
  /** The nginx-proxy that serves it; undefined (instanceWhy says why) when it is not in the repository. */
  readonly instance?: NginxProxyInstance;
  readonly instanceWhy?: string;
  readonly tie: EdgeTie;
}

export interface NginxProxyEdges {
  readonly instances: readonly NginxProxyInstance[];
  readonly vhosts: readonly NginxProxyVhost[];
}

/** A port of the app's compose service published on every interface of the host, in a compose file with a proxy service. */
export interface PublishedAppPort {
  readonly composeFile: string;
  /** The compose service that runs the app. */
  readonly service: string;
  /** The `ports:` item as written, and where. */
  readonly text: string;
  readonly loc: Loc;
  /** The host port ('' when docker picks one) and the container port, as written. */
  readonly published: string;
  readonly target: string;
  /** The proxy services of the same file ("nginx", "traefik"). */
  readonly proxies: readonly string[];
  /** Why the service runs the app. */
  readonly why: string;
}

/** A Gateway API HTTPRoute of a deployment set, with what its rules do and where they send. */
export interface HttpRouteEdge {
  readonly name?: K8sText;
  readonly file: string;
  /** Where its `kind:` is written. */
  readonly loc: Loc;
  readonly production: boolean;
  readonly devReason?: string;
  readonly hostnames: readonly K8sText[];
  /** Its rules; `shadowedBy`: an earlier rule with the same matches, which takes every request it would. */
  readonly rules: readonly (HttpRouteRule & { readonly shadowedBy?: Loc })[];
  /** The Gateways it attaches to; `inSet`: the Gateway is in the same set, with the protocols of the listeners it attaches to. */
  readonly gateways: readonly {
    readonly name: string;
    readonly inSet?: { readonly file: string; readonly loc: Loc; readonly protocols: readonly string[] };
  }[];
  /** 'app' when a rule that takes effect sends to a Service whose pods run the app. */
  readonly tie: EdgeTie;
}

/** An OpenShift Route as its manifest writes it, with whether it sends to the app. */
export interface OpenShiftRouteEdge {
  readonly name?: K8sText;
  readonly file: string;
  /** Where its `kind:` is written. */
  readonly loc: Loc;
  readonly production: boolean;
  readonly devReason?: string;
  /** Whether it is deployed: unknown when a Helm condition the values do not decide writes it. */
  readonly deployed: { readonly state: 'yes' } | { readonly state: 'unknown'; readonly why: string };
  readonly host?: K8sText;
  readonly tls?: OpenShiftRouteObject['tls'];
  readonly annotations: readonly IngressAnnotation[];
  readonly unknownAnnotations?: string;
  /** 'app' when its Service (spec.to, or an alternate backend) selects pods that run the app. */
  readonly tie: EdgeTie;
}

/** The hops in front of the app that the deployment files describe. */
export interface Edges {
  readonly ingresses: readonly IngressEdge[];
  readonly httpRoutes: readonly HttpRouteEdge[];
  readonly openShiftRoutes: readonly OpenShiftRouteEdge[];
  readonly ingressesOff: readonly IngressOff[];
  readonly ingressClasses: readonly IngressClassEdge[];
  readonly traefik: TraefikEdges;
  readonly nginxProxy: NginxProxyEdges;
  readonly publishedAppPorts: readonly PublishedAppPort[];
  /** Every object of the Kubernetes deployment sets, with the API version it is written in. */
  readonly k8sObjects: readonly K8sObjectEdge[];
}

/** No hop read (a project without deployment files of these kinds). */
export const NO_EDGES: Edges = {
  ingresses: [],
  ingressesOff: [],
  httpRoutes: [],
  openShiftRoutes: [],
  ingressClasses: [],
  traefik: { instances: [], routers: [], middlewares: [] },
  nginxProxy: { instances: [], vhosts: [] },
  publishedAppPorts: [],
  k8sObjects: [],
};

/** An object of a Kubernetes deployment set (any kind), as the API server would be given it. */
export interface K8sObjectEdge {
  readonly kind: string;
  /** Its apiVersion as written or rendered (dynamic: a template part the values do not decide; maybe: written only when a condition holds). */
  readonly apiVersion: K8sText;
  readonly name?: K8sText;
  readonly file: string;
  readonly source: K8sSource;
  readonly production: boolean;
  readonly devReason?: string;
  /**
   * Whether the object is deployed: unknown when a Helm condition the values do not decide writes it,
   * or one the chart's own defaults turn off (offByDefaults: a release that turns it on deploys it).
   */
  readonly deployed: { readonly state: 'yes' } | { readonly state: 'unknown'; readonly why: string; readonly offByDefaults?: true };
}
