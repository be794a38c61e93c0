-- Takes one request from a user's Todoist budget, or says how long to wait.
-- KEYS[1] budget: sorted set of the requests sent in the window (score = ms, member unique)
-- KEYS[2] blocked: the ms before which nothing may be sent (set from a 429's retry_after)
-- ARGV[1] limit, ARGV[2] window ms, ARGV[3] a member unique to this request
-- Returns {0, 0} when taken, else {1, ms} while a 429's block runs or {2, ms} when the budget
-- is spent, ms being the wait. The time is Redis's own, so every instance of the
-- service shares one clock; the script runs atomically, so two instances never both take the
-- last slot.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])

local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then
  return {1, blocked - now}
end

-- Sliding window log: count what was sent in the last `window` ms, exactly.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {2, math.max(1, tonumber(oldest[2]) + window - now + 1)}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {0, 0}
