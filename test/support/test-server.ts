// An in-process Modelmart server on a fresh database, for tests that call it without sockets
// (fastify.inject) or over loopback.
import { Writable } from 'node:stream';
import { ApiKeyService } from '../../src/accounts/index.js';
import { configSchema, type Config, type ConfigInput } from '../../src/config/index.js';
import { createLogger } from '../../src/core/index.js';
import { buildServer, type ModelmartServer } from '../../src/server/index.js';
import type { TestDatabaseTarget } from './test-databases.js';

export interface TestServer {
  readonly server: ModelmartServer;
  readonly apiKeys: ApiKeyService;
  readonly adminKey: string;
  readonly userKey: string;
  readonly config: Config;
  readonly logLines: string[];
  close(): Promise<void>;
}

export async function startTestServer(target: TestDatabaseTarget, configInput: ConfigInput = {}): Promise<TestServer> {
  const opened = await target.open();
  const config = configSchema.parse({ ...configInput, storage: opened.options });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger('info', sink);
  const apiKeys = new ApiKeyService(opened.database);
  await apiKeys.initialise();
  const admin = await apiKeys.createKey({ name: 'test admin', role: 'admin' });
  const user = await apiKeys.createKey({ name: 'test user', role: 'user' });
  const server = buildServer({ config, database: opened.database, apiKeys, logger });
  await server.app.ready();
  return {
    server,
    apiKeys,
    adminKey: admin.key,
    userKey: user.key,
    config,
    logLines,
    async close() {
      await server.app.close();
      await opened.dispose();
    },
  };
}
