-- One submit of a user, admitted or not, by the generic cell rate algorithm: the user may submit
-- ARGV[2] jobs at once and then one each ARGV[1] / ARGV[2] milliseconds, on Redis' own clock (so
-- every gateway replica counts alike). KEYS[1] holds the user's theoretical arrival time.
-- Answers 0 when the submit is admitted, else the milliseconds until one would be.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local period = tonumber(ARGV[1])
local interval = period / tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then
  tat = now
end
local wait = tat + interval - now - period
if wait > 0 then
  return math.ceil(wait)
end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat + interval - now))
return 0
