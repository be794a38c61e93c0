-- Erases every scorer key of one user and records the erasure, so that a feedback event still
-- in flight cannot recreate the model (apply-feedback.lua checks the erased set first).
--
-- KEYS[1] applied-event set, KEYS[2] policy index, KEYS[3] erased users, KEYS[4..] model keys
-- the caller knows of. ARGV[1] erased-set member, ARGV[2] now (ms), ARGV[3] how long erasures
-- are remembered (ms), ARGV[4..] the policy of each model key.
--
-- Returns the policies in the index the caller did not pass (it calls again with those), or
-- an empty list when everything is gone.

local now = tonumber(ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[3]))

local known = {}
for i = 4, #ARGV do known[ARGV[i]] = true end
local missing = {}
for _, policy in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if not known[policy] then missing[#missing + 1] = policy end
end
if #missing > 0 then return missing end

for k = 4, #KEYS do redis.call('DEL', KEYS[k]) end
redis.call('DEL', KEYS[1], KEYS[2])
return {}
