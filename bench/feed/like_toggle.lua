-- POST /api/videos/{id}/like (toggle) by a random viewer on one of the 20,000 newest videos.
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local tokens
function init(args) tokens = c.tokens("bench/results/feed/tokens.txt"); math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request()
  return wrk.format("POST", "/api/videos/" .. c.video(math.random(20000)) .. "/like", { Authorization = "Bearer " .. tokens[math.random(#tokens)] })
end
dofile("bench/feed/report.lua")
