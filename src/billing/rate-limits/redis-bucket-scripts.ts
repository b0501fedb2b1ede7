// The Lua scripts that keep buckets in Redis, so every replica shares one limit. Each runs
// atomically in Redis and reads the time from Redis itself, so replicas with skewed clocks agree.
// A bucket is a hash {level, time}; it expires when it would have refilled to full, which is
// exactly when deleting it changes nothing.

/**
 * KEYS: one per bucket. ARGV: capacity and cost for each bucket, in KEYS order.
 * Takes every cost, or none when any bucket lacks room. Replies {1 or 0, level before of each
 * bucket as a string (Redis would truncate a Lua number to an integer)}.
 */
export const admitScript = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local levels = {}
local allowed = 1
for index = 1, #KEYS do
  local capacity = tonumber(ARGV[index * 2 - 1])
  local cost = tonumber(ARGV[index * 2])
  local level = capacity
  local stored = redis.call('HMGET', KEYS[index], 'level', 'time')
  if stored[1] and stored[2] then
    local elapsed = now - tonumber(stored[2])
    if elapsed < 0 then elapsed = 0 end
    level = tonumber(stored[1]) + elapsed * capacity / 60000
    if level > capacity then level = capacity end
  end
  levels[index] = level
  if capacity <= 0 or cost > capacity or level < cost then allowed = 0 end
end
if allowed == 1 then
  for index = 1, #KEYS do
    local capacity = tonumber(ARGV[index * 2 - 1])
    local after = levels[index] - tonumber(ARGV[index * 2])
    if after >= capacity then
      redis.call('DEL', KEYS[index])
    else
      redis.call('HSET', KEYS[index], 'level', string.format('%.17g', after), 'time', string.format('%.17g', now))
      redis.call('PEXPIRE', KEYS[index], math.ceil((capacity - after) * 60000 / capacity) + 1)
    end
  end
end
local reply = { allowed }
for index = 1, #KEYS do reply[index + 1] = string.format('%.17g', levels[index]) end
return reply
`;

/**
 * KEYS: one token bucket per check. ARGV[1]: tokens to take (negative gives back), then the
 * capacity of each bucket. Never refuses; a bucket may go below zero, and never above full.
 */
export const adjustScript = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local delta = tonumber(ARGV[1])
for index = 1, #KEYS do
  local capacity = tonumber(ARGV[index + 1])
  local level = capacity
  local stored = redis.call('HMGET', KEYS[index], 'level', 'time')
  if stored[1] and stored[2] then
    local elapsed = now - tonumber(stored[2])
    if elapsed < 0 then elapsed = 0 end
    level = tonumber(stored[1]) + elapsed * capacity / 60000
  end
  local after = level - delta
  if after >= capacity then
    redis.call('DEL', KEYS[index])
  else
    redis.call('HSET', KEYS[index], 'level', string.format('%.17g', after), 'time', string.format('%.17g', now))
    redis.call('PEXPIRE', KEYS[index], math.ceil((capacity - after) * 60000 / capacity) + 1)
  end
end
return #KEYS
`;

/**
 * KEYS: one bucket each (a bucket may repeat). ARGV: for each key, the amount to take (negative
 * gives back) and the bucket's capacity. The adjust script with a delta per bucket, so summed
 * corrections and returned chunks of many requests go in one call. Never refuses.
 */
export const adjustEachScript = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
for index = 1, #KEYS do
  local delta = tonumber(ARGV[index * 2 - 1])
  local capacity = tonumber(ARGV[index * 2])
  local level = capacity
  local stored = redis.call('HMGET', KEYS[index], 'level', 'time')
  if stored[1] and stored[2] then
    local elapsed = now - tonumber(stored[2])
    if elapsed < 0 then elapsed = 0 end
    level = tonumber(stored[1]) + elapsed * capacity / 60000
  end
  local after = level - delta
  if after >= capacity then
    redis.call('DEL', KEYS[index])
  else
    redis.call('HSET', KEYS[index], 'level', string.format('%.17g', after), 'time', string.format('%.17g', now))
    redis.call('PEXPIRE', KEYS[index], math.ceil((capacity - after) * 60000 / capacity) + 1)
  end
end
return #KEYS
`;
