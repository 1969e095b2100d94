-- GET /api/videos/trending?limit=20 anonymously, first page.
function request() return wrk.format("GET", "/api/videos/trending?limit=20") end
dofile("bench/feed/report.lua")
