-- GET /api/videos/{id} of a random live video, with a random viewer's token.
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local tokens
function init(args) tokens = c.tokens("bench/results/feed/tokens.txt"); math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request()
  return wrk.format("GET", "/api/videos/" .. c.video(math.random(900000)), { Authorization = "Bearer " .. tokens[math.random(#tokens)] })
end
dofile("bench/feed/report.lua")
