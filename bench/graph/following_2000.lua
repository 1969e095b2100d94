-- GET /api/videos/following as user 1999, who follows 2,000 accounts (bench/graph/seed.sql): 1 in 10 first pages.
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local cursors, token
function init(args) cursors = c.lines("bench/results/feed/cursors.txt"); token = c.tokens("bench/results/feed/tokens.txt")[1999]; math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request()
  local path = "/api/videos/following?limit=20"
  if math.random(10) ~= 1 then path = path .. "&cursor=" .. cursors[math.random(#cursors)] end
  return wrk.format("GET", path, { Authorization = "Bearer " .. token })
end
dofile("bench/feed/report.lua")
