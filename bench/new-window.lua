-- wrk: every request asks about a different window (its start moved on by a minute each time, within its first day),
-- so no whole answer is kept and each one is worked out afresh from the people's kept months (kept-busy.ts).
local counter = 0
request = function()
  counter = counter + 1
  local minutes = counter % 1440
  local start = string.format("T%02d:%02d:00Z", math.floor(minutes / 60), minutes % 60)
  local path = wrk.path:gsub("(from=%d%d%d%d%-%d%d%-%d%d)T00:00:00Z", "%1" .. start)
  return wrk.format(nil, path)
end
