-- GET /api/videos/feed anonymously: 1 in 10 first pages, else a random cursor.
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local cursors
function init(args) cursors = c.lines("bench/results/feed/cursors.txt"); math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request()
  if math.random(10) == 1 then return wrk.format("GET", "/api/videos/feed?limit=20") end
  return wrk.format("GET", "/api/videos/feed?limit=20&cursor=" .. cursors[math.random(#cursors)])
end
dofile("bench/feed/report.lua")
