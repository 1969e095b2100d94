-- GET /api/tags/{tag}/videos anonymously, first page: a random tag of the 100 most used (bench/results/discovery/tags.txt).
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local tags
function init(args) tags = c.lines("bench/results/discovery/tags.txt"); math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request() return wrk.format("GET", "/api/tags/" .. tags[math.random(#tags)] .. "/videos?limit=20") end
dofile("bench/feed/report.lua")
