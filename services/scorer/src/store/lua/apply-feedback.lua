-- Applies one feedback event to every model it names, and marks the event applied, in one
-- atomic step: N scorer instances and any redelivery apply each event exactly once.
--
-- KEYS[1] applied-event set of the user, KEYS[2] the user's policy index, KEYS[3] erased users,
-- KEYS[4..] one model key per observation.
-- ARGV[1] event id, ARGV[2] now (ms), ARGV[3] how long applied ids are kept (ms),
-- ARGV[4] erased-set member of the user; then per observation: policy name, packed
-- observation (byte d, then little-endian doubles: reward, x[1..d]).
--
-- Sums are kept exactly as (hi, lo) pairs; add() is the same arithmetic as
-- libs/learning/src/linucb/exact-sum.ts, and the layout that of model-state.ts.

local FORMAT_VERSION = 1

if redis.call('ZSCORE', KEYS[3], ARGV[4]) then return 'erased' end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'duplicate' end

local function add(v, at, term)
  local hi, lo = v[at], v[at + 1]
  local s = hi + term
  local sv = s - hi
  local e = (hi - (s - sv)) + (term - sv)
  local t = lo + e
  local h = s + t
  local hv = h - s
  v[at] = h
  v[at + 1] = (s - (h - hv)) + (t - hv)
end

-- Read and check everything before the first write: a script that fails midway keeps its writes.
local models = {}
for k = 4, #KEYS do
  local packed = ARGV[4 + 2 * (k - 3)]
  local d = struct.unpack('<B', packed)
  local observation = { struct.unpack('<' .. string.rep('d', d + 1), packed, 2) }
  local length = 5 + 2 * d + d * (d + 1)
  local stored = redis.call('GET', KEYS[k])
  local v
  if stored then
    local version, dimension = struct.unpack('<BB', stored)
    if version ~= FORMAT_VERSION or dimension ~= d or #stored ~= 2 + 8 * length then
      return redis.error_reply('model ' .. KEYS[k] .. ' has format ' .. version .. ' and dimension ' .. dimension .. ', the event ' .. d)
    end
    v = { struct.unpack('<' .. string.rep('d', length), stored, 3) }
  else
    v = {}
    for i = 1, length do v[i] = 0 end
  end
  models[#models + 1] = { key = KEYS[k], policy = ARGV[3 + 2 * (k - 3)], d = d, x = observation, v = v, length = length }
end

for _, model in ipairs(models) do
  local v, d, x = model.v, model.d, model.x
  local reward = x[1]
  v[1] = v[1] + 1
  add(v, 2, reward)
  add(v, 4, reward * reward)
  for i = 1, d do add(v, 4 + 2 * i, reward * x[i + 1]) end
  local at = 6 + 2 * d
  for i = 1, d do
    local xi = x[i + 1]
    for j = i, d do
      add(v, at, xi * x[j + 1])
      at = at + 2
    end
  end
  redis.call('SET', model.key, struct.pack('<BB', FORMAT_VERSION, d) .. struct.pack('<' .. string.rep('d', model.length), unpack(v, 1, model.length)))
  redis.call('SADD', KEYS[2], model.policy)
end

local now = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
return 'applied'
