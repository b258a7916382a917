-- wrk script for the peer harness: every request is a different body (timestamp, user, device,
-- artist, slot set), cycled from a JSON-lines file written by gen_requests.py. Drop-in for the
-- harness's wrk/post.lua: given requests/X.json it posts the lines of requests/X.jsonl when that
-- file exists, else X.json itself; it prints the same BENCH_JSON summary line.
--   wrk -t2 -c32 -d10s -s varied.lua http://127.0.0.1:PORT/ -- requests/varied_whats_on.json
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local bodies = {}
local count = 0
local next_body = 0
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  local path = args[1]
  local lines = io.open(path .. "l", "rb")
  if lines then
    for line in lines:lines() do
      if #line > 0 then
        count = count + 1
        bodies[count] = line
      end
    end
    lines:close()
  else
    local f = assert(io.open(path, "rb"), "cannot open body file " .. tostring(path))
    count = 1
    bodies[1] = f:read("*a")
    f:close()
  end
  assert(count > 0, "no request bodies in " .. tostring(path))
  -- Threads start far apart in the list, so two threads rarely send the same body together.
  next_body = ((thread_number or 0) * 7919) % count
end

function request()
  next_body = next_body % count + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"non2xx":%d,"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
