-- wrk script for the Slack load run: POST pre-signed, DISTINCT Slack events to /slack/events, each one once.
--   SLACK_LOAD_FILE=/tmp/x/requests.txt wrk -t1 -c10 -d10s --latency -s tests/load/slack-events-unique.lua http://127.0.0.1:39970
-- SLACK_LOAD_FILE   requests written by SlackLoadPeer.cs: one a line, "signature TAB timestamp TAB body".
-- SLACK_LOAD_STATE  optional file holding the line to start at; done() writes the next unused line there, so a
--                   warm-up run and the measured run after it never send the same event twice.
-- SLACK_LOAD_RESEND=1  re-send line 1 only (a Slack retry storm: the first is new work, the rest duplicates).
-- SLACK_LOAD_THREADS   must equal wrk's -t when it is more than 1: thread i sends lines i, i+T, i+2T, ...
-- SLACK_LOAD_LABEL     a name for the summary lines.
-- The requests are formatted in init (in each wrk thread, not at load time, so wrk's main Lua state does not hold
-- them too). Sending past the last line starts again at the first: every such request repeats an event already
-- sent (a duplicate, acknowledged without new work), so "cycled" must be 0 in a unique run; give the peer more events.
-- The signatures carry the time the peer generated them; the host refuses them 300 s later.
-- Output (done): one "slackload ..." line of key=value counts for slack-load.sh, and the latency percentiles.

local file = os.getenv("SLACK_LOAD_FILE") or error("set SLACK_LOAD_FILE to the peer's requests.txt")
local state_path = os.getenv("SLACK_LOAD_STATE")
local resend = os.getenv("SLACK_LOAD_RESEND") == "1"
local nthreads = tonumber(os.getenv("SLACK_LOAD_THREADS") or "1")
local label = os.getenv("SLACK_LOAD_LABEL") or "run"

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

-- Per-thread state (globals, so done() can read them with thread:get).
local texts, lines = nil, nil
count = 0
pos = 0
first_line = 1
last_line = 0
ok2xx = 0
non2xx = 0
cycled = 0
loaded = 0

local function read_start()
  if not state_path then return 1 end
  local f = io.open(state_path, "r")
  if not f then return 1 end
  local n = tonumber(f:read("*l") or "")
  f:close()
  return n or 1
end

function init(args)
  local index = thread_index or 0
  local start = resend and 1 or read_start()
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. tostring(wrk.port))
  local path = "/slack/events"
  texts, lines = {}, {}
  local n = 0
  local line_no = 0
  for line in io.lines(file) do
    line_no = line_no + 1
    if line_no >= start and (line_no - start) % nthreads == index then
      local a = line:find("\t", 1, true)
      local b = a and line:find("\t", a + 1, true)
      if not b then error("line " .. line_no .. " of " .. file .. " is not 'signature TAB timestamp TAB body'") end
      local body = line:sub(b + 1)
      n = n + 1
      lines[n] = line_no
      texts[n] = "POST " .. path .. " HTTP/1.1\r\n" ..
        "Host: " .. host .. "\r\n" ..
        "Content-Type: application/json\r\n" ..
        "X-Slack-Request-Timestamp: " .. line:sub(a + 1, b - 1) .. "\r\n" ..
        "X-Slack-Signature: " .. line:sub(1, a - 1) .. "\r\n" ..
        "Content-Length: " .. #body .. "\r\n\r\n" .. body
      if resend then break end
    end
  end
  if n == 0 then error(file .. " has no request at or after line " .. start .. " for thread " .. index) end
  count = n
  loaded = n
  first_line = lines[1]
end

-- wrk calls request() once on the first thread before the run to check it; that line is skipped, not sent.
-- After a wrap every request repeats one already sent: each is counted in "cycled" (duplicates sent).
local wrapped = false
function request()
  pos = pos + 1
  if pos > count then
    pos = 1
    wrapped = not resend
  end
  if wrapped then cycled = cycled + 1 end
  local line = lines[pos]
  if line > last_line then last_line = line end
  return texts[pos]
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
  else
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local acks, bad, wraps, next_line, loaded_total = 0, 0, 0, 1, 0
  for _, t in ipairs(threads) do
    acks = acks + (t:get("ok2xx") or 0)
    bad = bad + (t:get("non2xx") or 0)
    wraps = wraps + (t:get("cycled") or 0)
    loaded_total = loaded_total + (t:get("loaded") or 0)
    local last = t:get("last_line") or 0
    if last + 1 > next_line then next_line = last + 1 end
  end
  if state_path and not resend then
    local f = assert(io.open(state_path, "w"))
    f:write(tostring(next_line), "\n")
    f:close()
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "slackload label=%s requests=%d acks=%d non2xx=%d cycled=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d " ..
    "rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f next_line=%d loaded=%d resend=%d\n",
    label, summary.requests, acks, bad, wraps, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write,
    e.timeout, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, next_line, loaded_total, resend and 1 or 0))
  io.write(string.format("%s: %d requests in %.2f s, %.0f/s; 2xx %d, non-2xx %d; socket errors: connect %d, read %d, write %d, timeout %d\n",
    label, summary.requests, seconds, summary.requests / seconds, acks, bad, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("%s: latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms\n",
    label, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  if wraps > 0 then
    io.write(string.format("%s: WARNING the events ran out: %d requests re-sent events already sent (duplicates, acknowledged without new work); generate more events\n", label, wraps))
  end
end
