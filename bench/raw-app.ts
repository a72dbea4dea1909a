import { createServer, type Server } from 'node:http';
import { heapAfterGc } from './heap.js';

/** The raw node:http ceiling: the same JSON body, no framework, on loopback. */
export async function listenRaw(answer: unknown): Promise<Server> {
  const body = JSON.stringify(answer);
  const server = createServer((req, res) => {
    if (req.url === '/__heap') {
      void heapAfterGc().then((heapUsed) => res.end(JSON.stringify({ heapUsed })));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return server;
}
