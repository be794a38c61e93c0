-- A user's cached task set and the ids of the tasks hidden as done, in one command: one
-- round trip and one reply to decode per `rpc.integrations.tasks`.
-- KEYS[1] the cached set, KEYS[2] the hidden ids (a sorted set scored by when each shows
-- again); ARGV[1] now, epoch ms. Returns {set or false, ids hidden after now}.
return {
  redis.call('GET', KEYS[1]),
  redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf'),
}
