// Container HEALTHCHECK: exits 0 when the service's own GET /health answers 200 (it answers 503
// while NATS, Redis or Postgres is unreachable). Plain Node (fetch is global on Node 20), because
// the slim base image has no curl or wget.
//
// PORT is usually set by compose / Kubernetes; when it is not, the service listens on its
// default port (ARCHITECTURE.md §5), which we look up by the image's OO_SERVICE.
const DEFAULT_PORTS = {
  gateway: 3000,
  auth: 3001,
  profile: 3002,
  integrations: 3003,
  recommender: 3004,
  scorer: 3005,
  notifier: 3006,
};

const port = process.env.PORT || DEFAULT_PORTS[process.env.OO_SERVICE ?? ''] || 3000;

try {
  const response = await fetch(`http://127.0.0.1:${port}/health`, {
    signal: AbortSignal.timeout(2500),
  });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
