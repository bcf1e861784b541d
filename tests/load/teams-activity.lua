-- wrk script for the Teams load run: POST one signed activity to /api/messages.
-- TEAMS_LOAD_DIR holds token.txt and body.json (written by TeamsLoadPeer.cs).
-- TEAMS_LOAD_UNIQUE=1 gives every request its own activity id (the token does not cover the body), so each ack is
-- new work: one inbox insert each. Unset, the same activity is re-sent: after the first, the endpoint's
-- recent-deliveries cache answers (auth + parse + dedupe only), which is what a Bot Service retry storm looks like.
local dir = os.getenv("TEAMS_LOAD_DIR") or error("set TEAMS_LOAD_DIR")
local unique = os.getenv("TEAMS_LOAD_UNIQUE") == "1"

local function slurp(name)
  local f = assert(io.open(dir .. "/" .. name, "rb"))
  local s = f:read("*a")
  f:close()
  return (s:gsub("%s+$", ""))
end

local token = slurp("token.txt")
local body = slurp("body.json")
local counter = 0
local thread_tag = tostring(math.random(1, 1e9))

wrk.method = "POST"
wrk.path = "/api/messages"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.body = body

if unique then
  request = function()
    counter = counter + 1
    local b = body:gsub('"id":"load%-0000000000"', '"id":"load-' .. thread_tag .. "-" .. counter .. '"', 1)
    return wrk.format(nil, nil, nil, b)
  end
end

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, non-2xx/3xx %d, socket errors (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
