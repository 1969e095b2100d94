-- GET /api/videos/following as a random seeded user 21..2000 (bench/graph/seed.sql: ~90 ordinary follows, 10 pulled
-- big accounts): 1 in 10 first pages, else a random cursor position.
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local cursors, tokens
function init(args) cursors = c.lines("bench/results/feed/cursors.txt"); tokens = c.tokens("bench/results/feed/tokens.txt"); math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request()
  local path = "/api/videos/following?limit=20"
  if math.random(10) ~= 1 then path = path .. "&cursor=" .. cursors[math.random(#cursors)] end
  return wrk.format("GET", path, { Authorization = "Bearer " .. tokens[math.random(21, #tokens)] })
end
dofile("bench/feed/report.lua")
