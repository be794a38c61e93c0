-- Swaps one user's rebuilt models in for the live ones, atomically, unless the live state has
-- applied an event the rebuild has not seen (then the rebuild must catch up first).
--
-- KEYS[1] live applied set, KEYS[2] live policy index, KEYS[3] rebuilt applied set,
-- KEYS[4] rebuilt policy index, KEYS[5] erased users, then pairs (live model, rebuilt model).
-- ARGV[1] erased-set member of the user.
-- Returns 'swapped', 'erased' (rebuilt keys dropped) or 'behind'.

local rebuilt = {}
for k = 6, #KEYS, 2 do rebuilt[#rebuilt + 1] = KEYS[k + 1] end

if redis.call('ZSCORE', KEYS[5], ARGV[1]) then
  redis.call('DEL', KEYS[3], KEYS[4], unpack(rebuilt))
  return 'erased'
end

for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if not redis.call('ZSCORE', KEYS[3], id) then return 'behind' end
end

for k = 6, #KEYS, 2 do
  if redis.call('EXISTS', KEYS[k + 1]) == 1 then
    redis.call('RENAME', KEYS[k + 1], KEYS[k])
  else
    redis.call('DEL', KEYS[k])
  end
end
for k = 1, 2 do
  if redis.call('EXISTS', KEYS[k + 2]) == 1 then
    redis.call('RENAME', KEYS[k + 2], KEYS[k])
  else
    redis.call('DEL', KEYS[k])
  end
end
return 'swapped'
