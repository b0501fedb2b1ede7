// The instant upstream: an OpenAI-compatible POST /v1/chat/completions that answers at once,
// as JSON or as an SSE stream. Run as its own process: `node upstream-server.mjs <port>`.
import http from 'node:http';
import { completionJson, completionStreamEvents } from './chat-fixtures.mjs';

const port = Number(process.argv[2]);
const answers = new Map();

function cachedAnswer(model, stream, includeUsage) {
  const key = `${stream ? 'stream' : 'json'}:${includeUsage}:${model}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = stream ? completionStreamEvents(model, includeUsage) : completionJson(model);
    if (answers.size < 100) answers.set(key, answer);
  }
  return answer;
}

const server = http.createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    if (request.method !== 'POST' || !request.url.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"invalid JSON","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'unknown';
    if (body.stream === true) {
      const events = cachedAnswer(model, true, body.stream_options?.include_usage === true);
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of events) response.write(event);
      response.end();
    } else {
      const text = cachedAnswer(model, false, false);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    }
  });
});

server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// Started by the harness with a channel: when the harness goes, so does this server.
process.on('disconnect', () => process.exit(0));
