-- GET /api/videos/search anonymously: a random query of the mix (bench/results/discovery/queries.txt, queries.sql; env
-- QUERIES: another list, e.g. one kind of it, as per_kind_http.sh passes).
package.path = "bench/feed/?.lua;" .. package.path
local c = require("common")
local queries
local function escape(s) return (s:gsub("[^%w%-_%.~]", function(ch) return string.format("%%%02X", string.byte(ch)) end)) end
function init(args)
  queries = c.lines(os.getenv("QUERIES") or "bench/results/discovery/queries.txt")
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end
function request() return wrk.format("GET", "/api/videos/search?limit=20&q=" .. escape(queries[math.random(#queries)])) end
dofile("bench/feed/report.lua")
