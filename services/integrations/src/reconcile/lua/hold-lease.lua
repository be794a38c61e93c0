-- Sets how long a lease held by this holder lasts.
-- KEYS[1] the lease; ARGV[1] the holder's token; ARGV[2] ms; ARGV[3] 'at-least' or 'exactly'
-- 'at-least' extends the lease to ARGV[2] ms when less is left; 'exactly' sets it to ARGV[2]
-- ms, or frees it when that is not positive.
-- Returns 1 while the holder has it, 0 when it lapsed or another holder has it.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
local ms = tonumber(ARGV[2])
if ARGV[3] == 'exactly' then
  if ms <= 0 then
    redis.call('DEL', KEYS[1])
  else
    redis.call('PEXPIRE', KEYS[1], ms)
  end
elseif redis.call('PTTL', KEYS[1]) < ms then
  redis.call('PEXPIRE', KEYS[1], ms)
end
return 1
