"""Throughput and latency of ``POST /api/check`` against ``replycheck serve``, on loopback, and
what happens when one check overruns its time limit.

    .venv/bin/python benchmarks/bench_web.py [--requests 200] [--clients 8] [--threads 8]

Starts ``replycheck serve`` (this checkout's code: ``python -m checker.cli serve``) on a free port
on 127.0.0.1 (or uses ``--url http://127.0.0.1:PORT`` of one already running; only loopback
addresses are accepted), warms it up, then prints p50 and p95 latency and requests a second for
one client sending requests one after another, and for ``--clients`` clients sending
``--requests`` requests between them at the same time, and the ratio of the two throughputs
(the goal on 2 cores: at least 1.8). Each client keeps one HTTP/1.1 connection open, as a
browser would.

Then the overrun case: one client sends the largest conversation the checker accepts (1,000
messages, 164 KB) which takes longer than the server's time limit (``check_timeout`` on
``/healthz``, 20 s by default), while ``--clients`` - 1 others keep sending the 30-turn chat. It
prints the slow request's status and time (expected: 503 within the limit) and the others'
statuses (expected: all 200) and latency.

The transcript is corpora/labelled/chat/c33_* (29 turns) plus a closing customer line: 30 turns.
"""
from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = next((ROOT / "corpora" / "labelled" / "chat").glob("c33_*.txt"))
LOAD_BEFORE = ", ".join(f"{x:.1f}" for x in os.getloadavg())


def thirty_turn_chat() -> str:
    text = SOURCE.read_text(encoding="utf-8").rstrip("\n")
    return text + "\nCustomer: Thanks Aisha, you too. Bye.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


class Client:
    """One keep-alive connection posting the same body."""

    def __init__(self, host: str, port: int, body: bytes):
        self.conn = http.client.HTTPConnection(host, port, timeout=120)
        self.body = body

    def post(self, expect_ok: bool = True) -> tuple[float, int]:
        start = time.perf_counter()
        self.conn.request("POST", "/api/check", body=self.body, headers={"Content-Type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        if expect_ok and response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {data[:300]!r}")
        return elapsed, response.status

    def post_json(self) -> dict:
        self.conn.request("POST", "/api/check", body=self.body, headers={"Content-Type": "application/json"})
        response = self.conn.getresponse()
        return json.loads(response.read())

    def close(self) -> None:
        self.conn.close()


def start_server(threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPLYCHECK_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen([sys.executable, "-m", "checker.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--threads", str(threads)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"replycheck serve exited: {proc.stderr.read()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("replycheck serve did not start within 120 s")


def loopback(url: str) -> tuple[str, int]:
    parsed = urllib.parse.urlsplit(url)
    host = parsed.hostname or ""
    try:
        ok = ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        ok = False
    if parsed.scheme != "http" or not ok:
        raise SystemExit(f"--url must be http:// on a loopback address (127.0.0.1), not {url!r}")
    return host, parsed.port or 80


def run(host: str, port: int, body: bytes, clients: int, requests: int) -> list[float]:
    """``requests`` posts shared among ``clients`` threads; the latency of each."""
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    counter = iter(range(requests))
    start_gate = threading.Barrier(clients)

    def worker():
        client = Client(host, port, body)
        try:
            start_gate.wait()
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                elapsed, _ = client.post()
                with lock:
                    latencies.append(elapsed)
        except BaseException as exc:  # reported after the run
            errors.append(exc)
        finally:
            client.close()

    workers = [threading.Thread(target=worker) for _ in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]
    return latencies


def largest_chat() -> str:
    """1,000 messages, 164 KB: the most the checker accepts in messages, and slow to check."""
    line = ("I am sorry to hear that your parcel has not arrived yet, let me check the tracking details on our "
            "system for you now, it should only take a moment or two. ")
    return "".join(f"Agent: {line}\nCustomer: {line}\n" for _ in range(500))


def overrun(host: str, port: int, body: bytes, clients: int, limit: float) -> None:
    """One client sends a check that overruns the limit; the others keep checking."""
    slow_body = json.dumps({"text": largest_chat()}).encode("utf-8")
    slow: dict = {}
    others: list[tuple[float, int]] = []
    lock = threading.Lock()

    def send_slow():
        client = Client(host, port, slow_body)
        try:
            slow["seconds"], slow["status"] = client.post(expect_ok=False)
        finally:
            client.close()

    def keep_checking():
        client = Client(host, port, body)
        try:
            while "status" not in slow:
                result = client.post(expect_ok=False)
                with lock:
                    others.append(result)
        finally:
            client.close()

    threads = [threading.Thread(target=send_slow)] + [threading.Thread(target=keep_checking) for _ in range(clients - 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted({s for _, s in others})
    ok = [t for t, s in others if s == 200]
    verdict = "as expected" if slow["status"] == 503 and slow["seconds"] <= limit + 1 and statuses == [200] else "NOT as expected"
    print(f"\noverrun: one request with the largest conversation ({len(slow_body) / 1024:.0f} KB, 1,000 messages) "
          f"against a {limit:g} s limit, {clients - 1} other clients checking the 30-turn chat meanwhile")
    print(f"  slow request: HTTP {slow['status']} after {slow['seconds']:.1f} s")
    print(f"  others: {len(others)} requests, statuses {statuses}, p50 {percentile(ok, 50) * 1000:.0f} ms, "
          f"p95 {percentile(ok, 95) * 1000:.0f} ms" if ok else f"  others: {len(others)} requests, statuses {statuses}")
    print(f"  -> {verdict} (503 within the limit, every other request 200)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="requests in the concurrent run (default 200)")
    parser.add_argument("--single", type=int, default=60, help="requests in the single-client run (default 60)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--threads", type=int, default=8, help="serve --threads when starting a server (default 8)")
    parser.add_argument("--warmup", type=int, default=10, help="requests before measuring (default 10)")
    parser.add_argument("--url", help="an already running server on loopback, e.g. http://127.0.0.1:8000")
    parser.add_argument("--skip-overrun", action="store_true", help="leave out the overrun case")
    args = parser.parse_args()

    text = thirty_turn_chat()
    body = json.dumps({"text": text}).encode("utf-8")
    proc = None
    if args.url:
        host, port = loopback(args.url)
    else:
        started = time.perf_counter()
        proc, url = start_server(args.threads)
        host, port = loopback(url)
        print(f"replycheck serve --threads {args.threads} ready in {time.perf_counter() - started:.1f} s "
              f"on {url} (pid {proc.pid})")
    try:
        probe = Client(host, port, body)
        report = probe.post_json()
        probe.close()
        turns = len(report["turns"])
        assert turns == 30, f"expected a 30-turn chat, the server parsed {turns}"
        print(f"transcript: {SOURCE.name} + 1 line = {turns} turns, {len(body) / 1024:.1f} KB of JSON; "
              f"decision {report['decision']}, score {report['score']}")
        run(host, port, body, 1, args.warmup)
        run(host, port, body, min(args.clients, args.warmup), args.warmup)

        single = run(host, port, body, 1, args.single)
        started = time.perf_counter()
        concurrent = run(host, port, body, args.clients, args.requests)
        wall = time.perf_counter() - started

        print()
        print(f"{'POST /api/check, 30-turn chat':34} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
        print(f"{'1 client':34} {len(single):8d} {percentile(single, 50) * 1000:8.0f} "
              f"{percentile(single, 95) * 1000:8.0f} {len(single) / sum(single):7.1f}")
        print(f"{f'{args.clients} concurrent clients':34} {len(concurrent):8d} {percentile(concurrent, 50) * 1000:8.0f} "
              f"{percentile(concurrent, 95) * 1000:8.0f} {len(concurrent) / wall:7.1f}")
        health = Client(host, port, b"")
        health.conn.request("GET", "/healthz")
        info = json.loads(health.conn.getresponse().read())
        health.close()
        ratio = (len(concurrent) / wall) / (len(single) / sum(single))
        print(f"\nthroughput, {args.clients} clients / 1 client: {ratio:.2f}x (goal on 2 cores: at least 1.8x)")
        print(f"(cores: {os.cpu_count()}; the server checks in {info['check_workers']} "
              f"{info.get('check_mode', 'threads')}; load average before the run: {LOAD_BEFORE})")
        if not args.skip_overrun:
            overrun(host, port, body, args.clients, float(info["check_timeout"]))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
