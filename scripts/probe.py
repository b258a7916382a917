#!/usr/bin/env python3
"""Fault, flood and abuse probes against the release binary, on loopback. Each prints its figures.

    scripts/probe.sh                 # builds the release binary, runs every probe
    scripts/probe.py BIN memory      # gzip bomb, 200 MB garbage, valid 100k-event JSON: RSS growth
    scripts/probe.py BIN slots       # 4 connections of 256 KiB slot values while launches flow
    scripts/probe.py BIN settings    # Settings API silent / slow (5 s) / 500, at 32 connections
    scripts/probe.py BIN connections # 2,000 idle + 200 slowloris under `ulimit -n 1024`
    scripts/probe.py BIN sigterm     # SIGTERM during a stuck request

Only the standard library: a small HTTP/1.1 client over asyncio streams.
"""
import asyncio
import gzip
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zlib

TOKEN = "probe-admin-token-0123456789"
NOW = "2026-11-21T19:04:05Z"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`onair serve --no-verify --demo` on a free port, with extra settings as environment."""

    def __init__(self, binary, env=None, nofile=None):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="onair-probe-")
        environ = dict(os.environ, ONAIR_ADMIN_TOKEN=TOKEN, RUST_LOG="warn", **(env or {}))
        cmd = [binary, "serve", "--no-verify", "--demo", "--addr", f"127.0.0.1:{self.port}",
               "--data-dir", os.path.join(self.dir, "data")]
        if nofile:
            cmd = ["bash", "-c", f"ulimit -n {nofile} && exec \"$@\"", "onair"] + cmd
        self.proc = subprocess.Popen(cmd, env=environ, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, "log"), "w"))
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server did not start; log: " + open(os.path.join(self.dir, "log")).read())

    def status(self, field):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) // 1024  # MiB
        return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


async def request(reader, writer, method, path, body=b"", headers=None, timeout=10.0):
    """One request on an open connection; (status, headers, body)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: probe\r\nContent-Length: {len(body)}\r\n"
    for k, v in (headers or {}).items():
        head += f"{k}: {v}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
    n = int(hdrs.get("content-length", "0"))
    data = await asyncio.wait_for(reader.readexactly(n), timeout) if n else b""
    return status, hdrs, data


async def connect(port):
    return await asyncio.open_connection("127.0.0.1", port)


def envelope(kind="LaunchRequest", slot=None, endpoint=None, token=None, device="probe-device"):
    system = {"application": {"applicationId": "a"}, "user": {"userId": "probe-user"},
              "device": {"deviceId": device, "supportedInterfaces": {"AudioPlayer": {}}}}
    if endpoint:
        system["apiEndpoint"] = endpoint
    if token:
        system["apiAccessToken"] = token
    req = {"type": kind, "requestId": "r", "timestamp": NOW, "locale": "en-US"}
    if kind == "IntentRequest":
        req["intent"] = {"name": "PlayLiveIntent",
                         "slots": {"performer": {"name": "performer", "value": slot or "beyonce"}}}
    return json.dumps({"version": "1.0", "context": {"System": system}, "request": req}).encode()


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


# ---- memory -------------------------------------------------------------------------------

def upload(port, body_iter, dry_run):
    """Streams an upload with chunked encoding; the status."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"POST /admin/import?format=json&dry_run={str(dry_run).lower()} HTTP/1.1\r\nHost: p\r\n"
              f"Authorization: Bearer {TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
    try:
        for chunk in body_iter:
            s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        s.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # refused early: the answer is waiting
    s.settimeout(120)
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            part = s.recv(65536)
            if not part:
                break
            answer += part
    except OSError:
        pass
    s.close()
    return int(answer.split()[1]) if answer.startswith(b"HTTP/") else 0


def bomb_chunks():
    # 1 GiB of zeros, compressed on the fly (about 1 MB on the wire).
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(16 * 1024 * 1024)
    for _ in range(64):
        out = comp.compress(zeros)
        if out:
            yield out
    yield comp.flush()


def garbage_chunks(total=200 * 1024 * 1024):
    block = os.urandom(1024 * 1024)
    for _ in range(total // len(block)):
        yield block


def events_chunks(n=100_000):
    yield b'{"stations":[{"id":"probe-fm","name":"Probe FM","stream_url":"https://probe.example/live"}],"events":['
    batch = []
    for i in range(n):
        start = 1_795_000_000 + i * 3600
        batch.append(json.dumps({
            "id": f"ev-{i}", "title": f"Probe show number {i}", "kind": "show",
            "performers": [f"Performer {i % 977}"], "station": "probe-fm", "genres": ["jazz"],
            "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start)),
            "end": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 3000)),
            "description": "x" * 120}))
        if len(batch) == 1000:
            yield (("," if i >= 1000 else "") + ",".join(batch)).encode()
            batch = []
    if batch:
        yield ("," + ",".join(batch)).encode()
    yield b"]}"


def probe_memory(binary):
    srv = Server(binary, env={"ONAIR_STORE_CACHE_MB": os.environ.get("ONAIR_STORE_CACHE_MB", "64")})
    try:
        for name, chunks, want, dry in [("gzip bomb (1 GiB expanded)", bomb_chunks(), {413}, True),
                                        ("200 MB garbage", garbage_chunks(), {413}, True),
                                        ("valid 100k-event JSON, dry run", events_chunks(), {200}, True),
                                        ("valid 100k-event JSON", events_chunks(), {200}, False)]:
            before = srv.status("VmRSS")
            try:  # reset the peak so VmHWM measures this upload alone
                with open(f"/proc/{srv.proc.pid}/clear_refs", "w") as f:
                    f.write("5")
            except OSError:
                pass
            started = time.time()
            status = upload(srv.port, chunks, dry)
            took = time.time() - started
            growth = max(srv.status("VmHWM") - before, 0)
            ok = status in want and growth < 64
            print(f"memory: {name}: HTTP {status} in {took:.1f} s, peak RSS growth {growth} MiB "
                  f"(RSS before {before} MiB, after {srv.status('VmRSS')} MiB) {'OK' if ok else 'FAIL'}")
    finally:
        srv.stop()


# ---- slots --------------------------------------------------------------------------------

async def probe_slots_async(port, seconds=10):
    hostile_body = envelope("IntentRequest", slot=("beyonce " * 32768)[:256 * 1024 - 600])
    launch = envelope()
    hostile_worst, hostile_statuses, launches = 0.0, {}, []
    stop_at = time.time() + seconds

    async def hostile():
        nonlocal hostile_worst
        r, w = await connect(port)
        while time.time() < stop_at:
            t = time.time()
            try:
                status, hdrs, _ = await request(r, w, "POST", "/alexa", hostile_body,
                                                {"Content-Type": "application/json"})
            except Exception:
                status, hdrs = 0, {"connection": "close"}
            hostile_worst = max(hostile_worst, time.time() - t)
            hostile_statuses[status] = hostile_statuses.get(status, 0) + 1
            if hdrs.get("connection") == "close":
                w.close()
                r, w = await connect(port)
        w.close()

    async def launcher():
        r, w = await connect(port)
        while time.time() < stop_at:
            t = time.time()
            status, _, _ = await request(r, w, "POST", "/alexa", launch,
                                         {"Content-Type": "application/json"})
            launches.append((time.time() - t, status))
            await asyncio.sleep(0.01)
        w.close()

    await asyncio.gather(*[hostile() for _ in range(4)], launcher())
    lat = [l for l, _ in launches]
    ok = pct(lat, 0.99) < 0.05 and hostile_worst < 1.0 and set(hostile_statuses) <= {200, 400, 413}
    print(f"slots: {len(launches)} launches, p50 {pct(lat, .5)*1000:.1f} ms, p99 {pct(lat, .99)*1000:.1f} ms; "
          f"hostile answers {hostile_statuses}, slowest {hostile_worst*1000:.0f} ms {'OK' if ok else 'FAIL'}")


def probe_slots(binary):
    srv = Server(binary)
    try:
        asyncio.run(probe_slots_async(srv.port))
    finally:
        srv.stop()


# ---- settings -----------------------------------------------------------------------------

async def fake_settings(mode, calls):
    async def handle(reader, writer):
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                calls[0] += 1
                if mode == "silent":
                    await asyncio.sleep(3600)
                if mode == "slow":
                    await asyncio.sleep(5)
                code = "500 Internal Server Error" if mode == "500" else "200 OK"
                body = b'"Asia/Tokyo"'
                writer.write(f"HTTP/1.1 {code}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
                await writer.drain()
        except (Exception, asyncio.CancelledError):
            writer.close()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def load(port, bodies, seconds, conns=32):
    lat = []
    stop_at = time.time() + seconds

    async def one(i):
        r, w = await connect(port)
        n = 0
        while time.time() < stop_at:
            t = time.time()
            await request(r, w, "POST", "/alexa", bodies(i, n), {"Content-Type": "application/json"})
            lat.append(time.time() - t)
            n += 1
        w.close()
    started = time.time()
    await asyncio.gather(*[one(i) for i in range(conns)])
    return len(lat) / (time.time() - started), lat


async def probe_settings_async(binary, seconds=8):
    for mode in ["silent", "slow", "500"]:
        calls = [0]
        fake, fport = await fake_settings(mode, calls)
        srv = Server(binary)
        try:
            endpoint = f"http://127.0.0.1:{fport}"
            plain_rps, _ = await load(srv.port, lambda i, n: envelope(
                "IntentRequest", device=f"d{i}-{n}"), seconds)
            rps, lat = await load(srv.port, lambda i, n: envelope(
                "IntentRequest", endpoint=endpoint, token="t", device=f"d{i}-{n}"), seconds)
            ok = rps >= 0.9 * plain_rps and pct(lat, .99) < 0.05
            print(f"settings {mode}: {rps:.0f} req/s with a token vs {plain_rps:.0f} without "
                  f"({100*rps/max(plain_rps,1):.0f} %), p99 {pct(lat,.99)*1000:.1f} ms, "
                  f"fake API saw {calls[0]} calls in {seconds} s (breaker period 30 s) {'OK' if ok else 'FAIL'}")
        finally:
            srv.stop()
            fake.close()


def probe_settings(binary):
    asyncio.run(probe_settings_async(binary))


# ---- connections --------------------------------------------------------------------------

async def probe_connections_async(port, header_timeout):
    idle, slow, closed_slow = [], [], [0]
    for i in range(2000):
        try:
            idle.append(await connect(port))
        except OSError:
            break
    async def loris():
        try:
            r, w = await connect(port)
        except OSError:
            return
        opened = time.time()
        try:
            for b in b"POST /alexa HTTP/1.1\r\nHost: x\r\n" * 10:
                w.write(bytes([b]))
                await w.drain()
                await asyncio.sleep(1)
                if r.at_eof():
                    break
        except Exception:
            pass
        if time.time() - opened < header_timeout + 5:
            closed_slow[0] += 1
        w.close()
    tasks = [asyncio.create_task(loris()) for _ in range(200)]
    lat, failures = [], 0
    for _ in range(40):
        t = time.time()
        try:
            r, w = await connect(port)
            status, _, _ = await request(r, w, "POST", "/alexa", envelope(),
                                         {"Content-Type": "application/json"}, timeout=2)
            w.close()
            if status != 200:
                failures += 1
        except Exception:
            failures += 1
        lat.append(time.time() - t)
        await asyncio.sleep(0.25)
    await asyncio.gather(*tasks)
    for _, w in idle:
        w.close()
    ok = failures == 0 and max(lat) < 1.0 and closed_slow[0] == 200
    print(f"connections: {len(idle)} idle + 200 slowloris: {40 - failures}/40 normal requests answered, "
          f"slowest {max(lat)*1000:.0f} ms; {closed_slow[0]}/200 slow connections closed within "
          f"header timeout + 5 s {'OK' if ok else 'FAIL'}")


def probe_connections(binary):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    srv = Server(binary, env={"ONAIR_HEADER_TIMEOUT_MS": "10000"}, nofile=1024)
    try:
        asyncio.run(probe_connections_async(srv.port, 10))
    finally:
        srv.stop()


# ---- sigterm ------------------------------------------------------------------------------

def probe_sigterm(binary):
    srv = Server(binary)
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(f"POST /admin/import?format=json HTTP/1.1\r\nHost: p\r\nAuthorization: Bearer {TOKEN}\r\n"
              f"Content-Length: 1000000\r\n\r\n{{\"events\":[".encode())
    time.sleep(0.5)
    started = time.time()
    srv.proc.send_signal(signal.SIGTERM)
    try:
        code = srv.proc.wait(30)
    except subprocess.TimeoutExpired:
        code = None
    took = time.time() - started
    s.close()
    # The store opens again and still holds the demo schedule.
    again = Server(binary)
    try:
        r = socket.create_connection(("127.0.0.1", again.port))
        r.sendall(f"GET /admin/stations HTTP/1.1\r\nHost: p\r\nAuthorization: Bearer {TOKEN}\r\n"
                  f"Connection: close\r\n\r\n".encode())
        answer = b""
        while True:
            part = r.recv(65536)
            if not part:
                break
            answer += part
        intact = answer.startswith(b"HTTP/1.1 200") and b'"stations"' in answer
    finally:
        again.stop()
    ok = code is not None and took < 10 and intact
    print(f"sigterm: exit code {code} {took:.1f} s after SIGTERM during a stuck upload; "
          f"store {'intact' if intact else 'NOT intact'} {'OK' if ok else 'FAIL'}")
    shutil.rmtree(srv.dir, ignore_errors=True)


PROBES = {"memory": probe_memory, "slots": probe_slots, "settings": probe_settings,
          "connections": probe_connections, "sigterm": probe_sigterm}

if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = sys.argv[1]
    for name in sys.argv[2:] or list(PROBES):
        PROBES[name](binary)
