// The admission counters in Redis, for several servers sharing one PostgreSQL: each counter is a
// hash (s: spent, h: held). A request's holds on all its counters are checked and taken by ONE
// Lua script, and a settlement is applied by one script, so replicas enforce one limit together.
// A counter Redis lacks (first use, eviction, a flushed Redis) is rebuilt from the database.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { ModelmartError } from '../core/index.js';
import type { CounterHold, CounterLoader, CounterMove, CounterState, HoldRefusal, OwnedCounterStore } from './billing-counters.js';

// Counters name a day or a month; they outlive their period by a little, then Redis drops them.
const counterLifetimeMilliseconds = 40 * 24 * 3_600_000;

// ARGV: lifetime, then per key (amount, limit or -1, spent to start from or ''). Returns {-1, missing indexes…}
// when a counter is absent and no start value came, {index, spent, held} on refusal, {0} when held.
const holdScript = `
local lifetime = ARGV[1]
local missing = {}
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then
    local start = ARGV[(i - 1) * 3 + 4]
    if start == '' then
      missing[#missing + 1] = i - 1
    else
      redis.call('HSET', KEYS[i], 's', start, 'h', 0)
    end
  end
end
if #missing > 0 then
  return {-1, unpack(missing)}
end
for i = 1, #KEYS do
  local limit = tonumber(ARGV[(i - 1) * 3 + 3])
  if limit >= 0 then
    local values = redis.call('HMGET', KEYS[i], 's', 'h')
    local spent = tonumber(values[1] or '0')
    local held = tonumber(values[2] or '0')
    if spent + held + tonumber(ARGV[(i - 1) * 3 + 2]) > limit then
      return {i - 1, spent, held}
    end
  end
end
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], 'h', ARGV[(i - 1) * 3 + 2])
  redis.call('PEXPIRE', KEYS[i], lifetime)
end
return {0}
`;

// The same hold for an owner (a server): ARGV[1] lifetime, ARGV[2] the owner's field ('o:<server>'),
// then per key (amount, limit or -1, start or ''). The owner's field counts what it holds of h, so a
// crashed owner's holds can be released exactly. On success returns {0, spent, held per key after};
// on refusal {index + 1, spent, held}; {-1, missing indexes…} as hold does.
const holdForScript = `
local lifetime = ARGV[1]
local owner = ARGV[2]
local missing = {}
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then
    local start = ARGV[(i - 1) * 3 + 5]
    if start == '' then
      missing[#missing + 1] = i - 1
    else
      redis.call('HSET', KEYS[i], 's', start, 'h', 0)
    end
  end
end
if #missing > 0 then
  return {-1, unpack(missing)}
end
local states = {}
for i = 1, #KEYS do
  local values = redis.call('HMGET', KEYS[i], 's', 'h')
  local spent = tonumber(values[1] or '0')
  local held = tonumber(values[2] or '0')
  local limit = tonumber(ARGV[(i - 1) * 3 + 4])
  if limit >= 0 and spent + held + tonumber(ARGV[(i - 1) * 3 + 3]) > limit then
    return {i, spent, held}
  end
  states[i * 2 - 1] = spent
  states[i * 2] = held
end
local reply = {0}
for i = 1, #KEYS do
  local amount = ARGV[(i - 1) * 3 + 3]
  redis.call('HINCRBY', KEYS[i], 'h', amount)
  redis.call('HINCRBY', KEYS[i], owner, amount)
  redis.call('PEXPIRE', KEYS[i], lifetime)
  reply[#reply + 1] = states[i * 2 - 1]
  reply[#reply + 1] = states[i * 2] + tonumber(amount)
end
return reply
`;

// ARGV[1] the owner's field, then per key (released, spent). Releases at most what the owner holds.
const applyForScript = `
local owner = ARGV[1]
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local owned = tonumber(redis.call('HGET', KEYS[i], owner) or '0')
    local release = tonumber(ARGV[(i - 1) * 2 + 2])
    if release > owned then release = owned end
    if release > 0 then
      if owned - release > 0 then redis.call('HINCRBY', KEYS[i], owner, -release) else redis.call('HDEL', KEYS[i], owner) end
      local held = redis.call('HINCRBY', KEYS[i], 'h', -release)
      if held < 0 then redis.call('HSET', KEYS[i], 'h', 0) end
    end
    local spent = ARGV[(i - 1) * 2 + 3]
    if spent ~= '0' then redis.call('HINCRBY', KEYS[i], 's', spent) end
  end
end
return 0
`;

// ARGV[1] the owner's field. Releases everything the owner holds; returns the total as a string.
const releaseOwnerScript = `
local total = 0
for i = 1, #KEYS do
  local owned = tonumber(redis.call('HGET', KEYS[i], ARGV[1]) or '0')
  if owned > 0 then
    local held = redis.call('HINCRBY', KEYS[i], 'h', -owned)
    if held < 0 then redis.call('HSET', KEYS[i], 'h', 0) end
    total = total + owned
  end
  redis.call('HDEL', KEYS[i], ARGV[1])
end
return tostring(total)
`;

// ARGV per key: minus what is released, spent (sent as integer strings: Lua would print large numbers as 1e+15). Absent counters are skipped: the database already has the spend.
const applyScript = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local held = redis.call('HINCRBY', KEYS[i], 'h', ARGV[(i - 1) * 2 + 1])
    if held < 0 then redis.call('HSET', KEYS[i], 'h', 0) end
    redis.call('HINCRBY', KEYS[i], 's', ARGV[(i - 1) * 2 + 2])
  end
end
return 0
`;

// ARGV: amount, cap, start ('' when unknown), lifetime. Returns -1 when the counter must be loaded, else what fitted.
const consumeScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[3] == '' then return -1 end
  redis.call('HSET', KEYS[1], 's', ARGV[3], 'h', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
local before = tonumber(redis.call('HGET', KEYS[1], 's') or '0')
redis.call('HINCRBY', KEYS[1], 's', ARGV[1])
local room = tonumber(ARGV[2]) - before
if room < 0 then room = 0 end
local amount = tonumber(ARGV[1])
if amount < room then return amount end
return room
`;

// ARGV: start, lifetime. Creates the counter if absent; returns spent.
const readScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[1] == '' then return -1 end
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'h', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return tonumber(redis.call('HGET', KEYS[1], 's') or '0')
`;

interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const scripts = {
  hold: script(holdScript),
  holdFor: script(holdForScript),
  apply: script(applyScript),
  applyFor: script(applyForScript),
  releaseOwner: script(releaseOwnerScript),
  consume: script(consumeScript),
  read: script(readScript),
};

function ownerField(owner: string): string {
  return `o:${owner}`;
}

function numbers(reply: unknown): number[] {
  return Array.isArray(reply) ? reply.map((value) => Number(value)) : [Number(reply)];
}

export class RedisCounterStore implements OwnedCounterStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'modelmart:billing:') {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true, connectionName: 'modelmart-billing' });
  }

  private async run(which: Script, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const prefixed = keys.map((key) => this.prefix + key);
    try {
      try {
        return await this.redis.evalsha(which.sha, prefixed.length, ...prefixed, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await this.redis.eval(which.source, prefixed.length, ...prefixed, ...args);
      }
    } catch (error) {
      // Metering fails closed: without its counters no request can be admitted safely.
      throw new ModelmartError(503, 'Metering is unavailable: its Redis cannot be reached. Try again shortly.', { code: 'billing_unavailable', cause: error });
    }
  }

  async hold(holds: readonly CounterHold[], load: CounterLoader): Promise<HoldRefusal | undefined> {
    const starts = holds.map((): string => '');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const args: (string | number)[] = [counterLifetimeMilliseconds];
      holds.forEach((hold, index) => args.push(hold.amount, hold.limit ?? -1, starts[index] ?? ''));
      const [status = 0, ...rest] = numbers(await this.run(scripts.hold, holds.map((hold) => hold.key), args));
      if (status === 0 && rest.length === 0) return undefined;
      if (status >= 0) return { index: status, spent: rest[0] ?? 0, held: rest[1] ?? 0 };
      await Promise.all(
        rest.map(async (index) => {
          const hold = holds[index];
          if (hold !== undefined) starts[index] = String(await load(hold.key));
        }),
      );
    }
    throw new Error('billing counters kept disappearing from Redis while being loaded');
  }

  async holdFor(owner: string, holds: readonly CounterHold[], load: CounterLoader): Promise<{ readonly refusal?: HoldRefusal; readonly states: readonly CounterState[] }> {
    const starts = holds.map((): string => '');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const args: (string | number)[] = [counterLifetimeMilliseconds, ownerField(owner)];
      holds.forEach((hold, index) => args.push(hold.amount, hold.limit ?? -1, starts[index] ?? ''));
      const [status = 0, ...rest] = numbers(await this.run(scripts.holdFor, holds.map((hold) => hold.key), args));
      if (status === 0) {
        const states: CounterState[] = [];
        for (let index = 0; index < holds.length; index += 1) states.push({ spent: rest[index * 2] ?? 0, held: rest[index * 2 + 1] ?? 0 });
        return { states };
      }
      if (status > 0) return { refusal: { index: status - 1, spent: rest[0] ?? 0, held: rest[1] ?? 0 }, states: [] };
      await Promise.all(
        rest.map(async (index) => {
          const hold = holds[index];
          if (hold !== undefined) starts[index] = String(await load(hold.key));
        }),
      );
    }
    throw new Error('billing counters kept disappearing from Redis while being loaded');
  }

  async applyFor(owner: string, moves: readonly CounterMove[]): Promise<void> {
    if (moves.length === 0) return;
    const args: (string | number)[] = [ownerField(owner)];
    for (const move of moves) args.push(move.released, move.spent);
    await this.run(scripts.applyFor, moves.map((move) => move.key), args);
  }

  async releaseOwner(owner: string, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return Number(await this.run(scripts.releaseOwner, keys, [ownerField(owner)]));
  }

  async flush(): Promise<void> {
    // Every move is sent when it is applied.
  }

  async apply(moves: readonly CounterMove[]): Promise<void> {
    if (moves.length === 0) return;
    const args: number[] = [];
    for (const move of moves) args.push(-move.released, move.spent);
    await this.run(scripts.apply, moves.map((move) => move.key), args);
  }

  async consume(key: string, amount: number, cap: number, load: CounterLoader): Promise<number> {
    let fitted = Number(await this.run(scripts.consume, [key], [amount, cap, '', counterLifetimeMilliseconds]));
    if (fitted < 0) fitted = Number(await this.run(scripts.consume, [key], [amount, cap, String(await load(key)), counterLifetimeMilliseconds]));
    return Math.max(0, fitted);
  }

  async read(key: string, load: CounterLoader): Promise<number> {
    let spent = Number(await this.run(scripts.read, [key], ['', counterLifetimeMilliseconds]));
    if (spent < 0) spent = Number(await this.run(scripts.read, [key], [String(await load(key)), counterLifetimeMilliseconds]));
    return spent;
  }

  async refresh(key: string, load: CounterLoader): Promise<void> {
    const spent = await load(key);
    // Only an existing counter is corrected; an absent one is loaded fresh on its next use anyway.
    await this.redis.hset(this.prefix + key, 's', spent).then(async () => this.redis.pexpire(this.prefix + key, counterLifetimeMilliseconds));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
