// Chooses the infrastructure for the whole run before workers start (they inherit process.env):
// the *_URL variables when set; otherwise the standard local ports when something answers
// there; otherwise nothing, and libs/testing falls back to testcontainers.
import { connect } from 'node:net';

const LOCAL = {
  NATS_URL: ['nats://127.0.0.1:4222', 4222],
  REDIS_URL: ['redis://127.0.0.1:6379', 6379],
  DATABASE_URL: ['postgresql://postgres@127.0.0.1:5432/oo', 5432],
};

function answers(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 500 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

export default async function globalSetup() {
  for (const [name, [url, port]] of Object.entries(LOCAL)) {
    if (!process.env[name] && (await answers(port))) process.env[name] = url;
  }
}
