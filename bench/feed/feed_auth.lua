-- GET /api/videos/feed with a random seeded viewer's token (liked_by_me computed): 1 in 10 first pages.
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local cursors, tokens
function init(args) cursors = c.lines("bench/results/feed/cursors.txt"); tokens = c.tokens("bench/results/feed/tokens.txt"); math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request()
  local path = "/api/videos/feed?limit=20"
  if math.random(10) ~= 1 then path = path .. "&cursor=" .. cursors[math.random(#cursors)] end
  return wrk.format("GET", path, { Authorization = "Bearer " .. tokens[math.random(#tokens)] })
end
dofile("bench/feed/report.lua")
