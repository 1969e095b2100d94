-- Shared by the wrk scripts: tokens (bench/results/feed/tokens.txt), cursors (bench/results/feed/cursors.txt), seeded ids.
local M = {}

function M.lines(path)
  local t = {}
  for line in io.lines(path) do if #line > 0 then t[#t + 1] = line end end
  return t
end

function M.tokens(path)
  local t = {}
  for line in io.lines(path) do
    local _, tok = line:match("^(%S+) (%S+)$")
    if tok then t[#t + 1] = tok end
  end
  return t
end

-- Video n (1 = newest); n <= 900000 are live (the oldest ~7% of the 1M have expired).
function M.video(n) return string.format("00000000-0000-4000-8000-%012x", n) end

return M
