-- PUT or DELETE /api/users/user<n>/follow (half each) by a random seeded user 1..2000, n random among the ordinary
-- accounts 21..100000.
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local tokens
function init(args) tokens = c.tokens("bench/results/feed/tokens.txt"); math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request()
  local method = math.random(2) == 1 and "PUT" or "DELETE"
  return wrk.format(method, "/api/users/user" .. math.random(21, 100000) .. "/follow", { Authorization = "Bearer " .. tokens[math.random(#tokens)] })
end
dofile("bench/feed/report.lua")
