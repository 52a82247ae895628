-- wrk: every request asks a different address, so no kept view is reused and each one is drawn afresh. It adds
-- the seeded calendars (BENCH_CALS) and one unknown id to `cal`: unknown ids are ignored, but make the key new.
local cals = os.getenv("BENCH_CALS") or ""
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&cal=" .. cals .. ",unknown" .. counter)
end
