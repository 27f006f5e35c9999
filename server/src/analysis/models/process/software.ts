// Which software a container or a compose service runs, by its image and its name: a reverse proxy
// (nginx, Caddy, Traefik…), a service beside the app (a database, a cache, a broker), or the app.
import type { ComposeService } from '../../readers/container/compose';
import type { Workload } from './model';

import { PROXY_IMAGE } from '../../catalogue/hops';

/** Images of reverse proxies and web servers (a Dockerfile FROM one is the proxy's image, not the app's): catalogue/hops.ts. */
export { PROXY_IMAGE };
const PROXY_NAME =
  /^(nginx|caddy|traefik|haproxy|envoy|proxy|reverse-?proxy|web-?proxy|lb|loadbalancer|front(end)?-?proxy|openresty|apache|httpd)$/i;

/** The official nginx image (and its unprivileged variant), whose entrypoint fills /etc/nginx/templates into conf.d. */
export const NGINX_IMAGE = /^(?:docker\.io\/)?(?:library\/|nginxinc\/)?nginx(?:-unprivileged)?(?::|@|$)/i;

/** A compose service that runs a reverse proxy: by its image, its name or the folder it builds. */
export function isProxyService(s: ComposeService): boolean {
  if (s.image && PROXY_IMAGE.test(s.image)) return true;
  if (PROXY_NAME.test(s.name)) return true;
  if (s.build && /(^|\/)(nginx|caddy|traefik|haproxy|proxy)(\/|$)/i.test(s.build.context.replace(/(?<!\/)\/+$/, ''))) return true;
  // (or the folder of the Dockerfile it builds: `build: {context: ., dockerfile: caddy/Dockerfile}`)
  if (s.build && /(^|\/)(nginx|caddy|traefik|haproxy|proxy)\/[^/]*$/i.test(s.build.dockerfile)) return true;
  return false;
}

/** Images of software that is not the Django app (a database, a cache, a broker, a search engine). */
const SERVICE_IMAGE =
  /(^|\/)(postgres|postgresql|postgis|mysql|mariadb|redis|valkey|memcached|rabbitmq|elasticsearch|opensearch|mongo|mongodb|minio|kibana|grafana|prometheus|busybox|alpine)(:|@|$)/i;

/**
 * A workload whose container runs other software than the Django app: a proxy (nginx, Caddy…) or a
 * service (a database, a cache…) by its image, when it runs no command of its own that starts Django.
 */
export function runsOtherSoftware(w: Workload): boolean {
  // (an OpenShift image trigger's image stream that the repository's BuildConfigs do not build from its Dockerfiles)
  if (w.process.otherImage) return true;
  const image = w.process.image;
  if (image && !image.includes('{{') && !image.startsWith('~{')) return PROXY_IMAGE.test(image) || SERVICE_IMAGE.test(image);
  // an image the chart's values decide: the container's name says what it runs, when it names other software
  const name = w.process.container;
  return !!name && (OTHER_CONTAINER.test(name) || PROXY_NAME.test(name));
}

/** Container names of software beside the app: proxies and caches, metrics exporters, log shippers, sidecars. */
const OTHER_CONTAINER =
  /^(varnish|redis|memcached|postgres(ql)?|mysql|mariadb|rabbitmq|elasticsearch|opensearch|mongo(db)?|minio|[a-z0-9-]*-exporter|metrics(-[a-z0-9-]+)?|statsd|fluent(d|-?bit)|cloud-?sql-proxy|istio-proxy|linkerd-proxy|[a-z0-9-]*-sidecar)$/i;
