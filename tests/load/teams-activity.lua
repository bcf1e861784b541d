-- wrk script for the Teams load run: POST one signed activity to /api/messages.
-- TEAMS_LOAD_DIR holds token.txt and body.json (written by TeamsLoadPeer.cs).
-- TEAMS_LOAD_UNIQUE=1 gives every request its own activity id (the token does not cover the body), so each ack is
-- new work: one inbox insert and, later, one coaching reply each. The activities are spread round-robin over
-- TEAMS_LOAD_CONVERSATIONS conversation ids (default 20000): the bot posts to one conversation about once a second,
-- so fewer conversations than the worker drains a second would make the drain measure the pacer, not the bot.
-- Unset, the same activity is re-sent: after the first, the endpoint's recent-deliveries cache answers (auth + parse
-- + dedupe only), which is what a Bot Service retry storm looks like.
-- TEAMS_LOAD_TAG makes the activity ids of one run distinct from another's (warm-up and measured run).
local dir = os.getenv("TEAMS_LOAD_DIR") or error("set TEAMS_LOAD_DIR")
local unique = os.getenv("TEAMS_LOAD_UNIQUE") == "1"
local conversations = tonumber(os.getenv("TEAMS_LOAD_CONVERSATIONS") or "20000")
local tag = os.getenv("TEAMS_LOAD_TAG") or tostring(math.random(1, 1e9))

local function slurp(name)
  local f = assert(io.open(dir .. "/" .. name, "rb"))
  local s = f:read("*a")
  f:close()
  return (s:gsub("%s+$", ""))
end

local token = slurp("token.txt")
local body = slurp("body.json")
assert(body:find('"id":"load-0000000000"', 1, true), "body.json has no activity id to replace")
assert(body:find('"id":"a:load-chat"', 1, true), "body.json has no conversation id to replace")
local counter = 0

wrk.method = "POST"
wrk.path = "/api/messages"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.body = body

if unique then
  -- The body split once around the two ids, so each request is a concatenation rather than two pattern searches.
  local a1, a2 = body:find('"id":"load-0000000000"', 1, true)
  local c1, c2 = body:find('"id":"a:load-chat"', 1, true)
  assert(a2 < c1, "body.json: the activity id must come before the conversation id")
  local head, middle, tail = body:sub(1, a1 - 1), body:sub(a2 + 1, c1 - 1), body:sub(c2 + 1)
  request = function()
    counter = counter + 1
    local b = head .. '"id":"load-' .. tag .. "-" .. counter .. '"' .. middle
      .. '"id":"a:load-chat-' .. (counter % conversations) .. '"' .. tail
    return wrk.format(nil, nil, nil, b)
  end
end

-- No response() callback: wrk then hands no responses to Lua, which keeps its own cost per request down. The
-- endpoint answers 200, 400, 401 or 413 and never a redirect, so every completed request that is not an error (wrk
-- counts status >= 400 as one) is an acknowledgement.
done = function(summary, latency, requests)
  io.write(string.format("requests %d, non-2xx/3xx %d, socket errors (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("acks %d\n", summary.requests - summary.errors.status))
end
