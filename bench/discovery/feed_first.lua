-- GET /api/videos/feed?limit=20 anonymously, first page: the reference trending is compared with, in the same sitting.
function request() return wrk.format("GET", "/api/videos/feed?limit=20") end
dofile("bench/feed/report.lua")
