// The one pooled HTTP client for every upstream: an undici Agent keeps one keep-alive pool per
// origin for the whole process, so a request reuses a warm socket instead of a new handshake.
import { Agent } from 'undici';

/**
 * Idle sockets are closed after this long unless the server's Keep-Alive header says otherwise.
 * Kept below the 5 s idle timeout of common upstream servers (Node, uvicorn) so that we never
 * send a request on a socket the server is closing.
 */
const keepAliveTimeoutMilliseconds = 4_000;
/** The longest a server's Keep-Alive hint may keep an idle socket. */
const keepAliveMaximumTimeoutMilliseconds = 600_000;
const connectTimeoutMilliseconds = 10_000;

let agent: Agent | undefined;

export function getUpstreamAgent(): Agent {
  agent ??= new Agent({
    // One request per socket at a time: streamed answers hold a socket for their whole length,
    // and a pipelined request stuck behind one would wait for it.
    pipelining: 1,
    keepAliveTimeout: keepAliveTimeoutMilliseconds,
    keepAliveMaxTimeout: keepAliveMaximumTimeoutMilliseconds,
    connect: { timeout: connectTimeoutMilliseconds },
  });
  return agent;
}

/** Closes every pooled socket (graceful shutdown); a later request opens a fresh pool. */
export async function closeUpstreamClients(): Promise<void> {
  const current = agent;
  agent = undefined;
  if (current !== undefined) await current.close();
}
