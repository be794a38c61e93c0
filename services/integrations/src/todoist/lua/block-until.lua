-- Blocks a user's Todoist requests for ARGV[1] ms from now (Redis's clock), never shortening a
-- block already in place. KEYS[1] blocked (see take-request.lua). Returns the block's end, ms.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= untilMs then
  return current
end
redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]))
return untilMs
