/** The floor for the gateway benchmark: a bare Fastify route answering a small JSON body. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', () => ({ hello: 'world', at: 'floor' }));
await app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' });
console.log('ready');
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
