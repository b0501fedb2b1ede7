// The minimal pass-through proxy the benchmark compares gateways with: Node http in front,
// an undici keep-alive pool behind, request body forwarded and response streamed back.
// Run as its own process: `node minimal-proxy-server.mjs <port> <upstream origin>`.
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const port = Number(process.argv[2]);
const upstream = new Pool(process.argv[3], { connections: 128, keepAliveTimeout: 60_000 });
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

function forwardedHeaders(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name)));
}

async function forward(request, response, body) {
  try {
    const answer = await upstream.request({ method: request.method, path: request.url, headers: forwardedHeaders(request.headers), body });
    response.writeHead(answer.statusCode, forwardedHeaders(answer.headers));
    await pipeline(answer.body, response);
  } catch (error) {
    if (response.headersSent) response.destroy(error);
    else response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: String(error), type: 'api_error' } }));
  }
}

const server = http.createServer((request, response) => {
  // Chat bodies are small: handing undici a Buffer costs half the CPU of handing it the request stream.
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => forward(request, response, Buffer.concat(parts)));
});

server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// Started by the harness with a channel: when the harness goes, so does this server.
process.on('disconnect', () => process.exit(0));
