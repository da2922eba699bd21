"""The OpenAI-compatible gateway under load: GovAI against the LiteLLM proxy, same upstream, same run.

    python bench/gateway_bench.py                       # about two and a half minutes
    python bench/gateway_bench.py --seconds 4 --rounds 2 --out gateway.json

One load (OpenAI chat completions, a system prompt and a citizen's question, one in four carrying a
National Insurance number) goes to a minimal local OpenAI-compatible upstream (started here, a
raw asyncio server answering in microseconds), four ways, at concurrency 1 and 32:

- the upstream directly (the baseline every "added" latency is measured against);
- GovAI with guards and PII on: ``provider:upstream`` of a service with the full safeguards (every
  message cleaned and checked for protective markings, personal data pseudonymised before a provider
  not approved for it and put back after, every user message screened by the input guard, model
  access, the output checks, the audit record), through ``govai serve --workers 2``;
- GovAI with guards and PII off: the same, in a service that waives pseudonymisation and the input
  guard (the audit record, limits and model access stay: they cannot be turned off);
- the LiteLLM proxy (``litellm --num_workers 2``, with a master key: it refuses to start without
  one), installed by this script into its own virtual environment (``~/.cache/govai/bench-litellm``;
  not a GovAI dependency) unless ``--litellm-venv`` names one, or skipped with ``--no-litellm``.

Both servers are started and warmed first (every question of the load, so nothing loads lazily
inside a measured cell); then, for each concurrency, the four cells run one after another, so each
comparison is made under the same conditions on a shared machine (``--rounds N`` repeats them).
Each cell runs ``--seconds`` after a short warm-up, with an aiohttp client in this process; it
reports requests/s, latency p50/p99, the latency added over the direct upstream call at the same
concurrency, and the CPU time the server's processes (parent and workers; not PostgreSQL) spent per
answered request, the figure least disturbed by other work on the machine. It also prints which HTTP
parser and event loop each server's uvicorn runs on (GovAI installs ``uvicorn[standard]``: httptools
and uvloop; ``litellm[proxy]`` brings uvloop, which LiteLLM asks for, but not httptools). GovAI runs in a temporary
``GOVAI_HOME`` with its embedded PostgreSQL (or on ``DATABASE_URL`` when set). Targets (issue 12):
with guards and PII on, throughput at concurrency 32 at least twice LiteLLM's, and added p50 at
concurrency 1 at most 10 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LITELLM_VENV = Path.home() / ".cache" / "govai" / "bench-litellm"
MODEL = "bench-model"
REPLY = "Thank you for your question. You can find the answer on GOV.UK."
SYSTEM = "You answer in one sentence."
QUESTIONS = [
    "How long does it take to renew a driving licence?",
    "What should I bring to a Jobcentre appointment?",
    "My NI number is AB 12 34 56 C. How long does it take to renew a driving licence?",
    "Is Child Benefit paid every four weeks?",
]
WORKERS = 2


# ----------------------------------------------------------------------------- the upstream


def _upstream_body(stream: bool) -> tuple[bytes, bytes]:
    if stream:
        chunk = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0, "model": MODEL,
                 "choices": [{"index": 0, "delta": {"role": "assistant", "content": REPLY}, "finish_reason": None}]}
        end = {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        body = f"data: {json.dumps(chunk)}\n\ndata: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode()
        return body, b"text/event-stream"
    body = json.dumps({"id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": MODEL,
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY},
                                    "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": 24, "completion_tokens": 14, "total_tokens": 38}}).encode()
    return body, b"application/json"


class _Upstream(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, just enough of it: every POST is a chat completion, every GET the model list."""

    PLAIN = _upstream_body(False)
    STREAM = _upstream_body(True)
    MODELS = (json.dumps({"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "bench"}]}).encode(),
              b"application/json")

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4:end + 4 + length]
            self.buffer = self.buffer[end + 4 + length:]
            if head.startswith("GET"):
                payload, kind = self.MODELS
            else:
                payload, kind = self.STREAM if b'"stream": true' in body or b'"stream":true' in body else self.PLAIN
            self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-type: " + kind + b"\r\ncontent-length: "  # type: ignore[attr-defined]
                                 + str(len(payload)).encode() + b"\r\n\r\n" + payload)


def serve_upstream(port: int) -> None:
    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(_Upstream, "127.0.0.1", port, backlog=1024)
        async with server:
            await server.serve_forever()

    with suppress(KeyboardInterrupt):
        asyncio.run(main())


# ----------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout_s: float, proc: subprocess.Popen[bytes] | None = None,
              headers: dict[str, str] | None = None) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with code {proc.returncode}")
        with suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2, headers=headers).status_code < 500:
                return
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not come up within {timeout_s:g} s")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def spawn(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def govai_setup(home: Path, upstream: str) -> tuple[Path, str]:
    """Tenant, key, provider file and two service profiles; returns the profile folder and the key."""
    from govai.store.database import get_database
    from govai.store.tenants import Tenants

    conf = home / "services"
    conf.mkdir(parents=True, exist_ok=True)
    provider = {"kind": "openai_compatible", "base_url": upstream, "model": MODEL, "jurisdiction": "UK",
                "hosting_region": "UK South", "trains_on_prompts": False, "retains_prompts": False,
                "stream": False, "max_retries": 0, "timeout_s": 30, "max_output_tokens": 256}
    (home / "providers.yaml").write_text(json.dumps({"providers": {
        "upstream": provider,  # not approved for personal data: gets the pseudonymised text
        "upstream-approved": {**provider, "personal_data": True},  # for the service that does not pseudonymise
    }}), encoding="utf-8")
    providers_file = str(home / "providers.yaml")
    (conf / "guarded.yaml").write_text(json.dumps({
        "name": "bench-guarded", "tenant": "bench", "kb": "bench", "providers_file": providers_file,
        "providers": ["upstream"]}), encoding="utf-8")
    (conf / "bare.yaml").write_text(json.dumps({
        "name": "bench-bare", "tenant": "bench", "kb": "bench", "providers_file": providers_file,
        "providers": ["upstream-approved"],
        "steps": ["normalise", {"name": "check_output", "options": {"checks": ["forbidden_terms"]}}, "audit"],
        "waived_safeguards": {"pseudonymise": "gateway bench: guards and PII off",
                              "screen_input": "gateway bench: guards and PII off"}}), encoding="utf-8")
    tenants = Tenants(get_database())
    if tenants.get("bench") is None:
        tenants.create("bench", "Gateway bench")
    _, token = tenants.create_key("bench", "gateway bench", "citizen_app", rate_per_minute=100_000_000)
    return conf, token


def durable_commit_ms(samples: int = 60) -> float:
    """The p50 of one durable one-row commit on GovAI's database: the floor under every audited
    request (a request is answered only once its audit record is committed)."""
    from govai.store.database import get_database

    conn = get_database().conn
    conn.execute("CREATE TABLE IF NOT EXISTS govai_bench_commit_probe (n int)")
    times = []
    try:
        for i in range(samples):
            t0 = time.perf_counter()
            conn.execute("INSERT INTO govai_bench_commit_probe VALUES (%s)", (i,))
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        conn.execute("DROP TABLE IF EXISTS govai_bench_commit_probe")
    return statistics.median(times)


def litellm_install(venv: Path) -> Path:
    exe = venv / "bin" / "litellm"
    if exe.exists():
        return exe
    print(f"installing litellm[proxy] into {venv} (once; a few minutes)...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "litellm[proxy]"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return exe


def http_stack(python: Path) -> str:
    """Which HTTP parser and event loop uvicorn picks in that environment ("auto" prefers httptools
    and uvloop when installed, as ``uvicorn[standard]`` installs them; LiteLLM asks for uvloop)."""
    probe = ("import importlib.util as u; print(('httptools' if u.find_spec('httptools') else 'h11') + ' + ' + "
             "('uvloop' if u.find_spec('uvloop') else 'asyncio'))")
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


# ----------------------------------------------------------------------------- load


@dataclass
class Cell:
    target: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    added_p50_ms: float | None = None
    added_p99_ms: float | None = None
    server_cpu_ms: float | None = None  # CPU time the server's processes spent per answered request
    round: int = 1
    first_error: str | None = None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def load(url: str, model: str, key: str, concurrency: int, seconds: float,
               warmup: float) -> tuple[list[float], int, str | None, int]:
    import aiohttp

    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    bodies = [json.dumps({"model": model, "max_tokens": 64, "messages": [
        {"role": "system", "content": SYSTEM}, {"role": "user", "content": q}]}).encode() for q in QUESTIONS]
    latencies: list[float] = []
    errors = 0
    answered = 0  # every good answer, the warm-up's included (for CPU per request)
    first_error: str | None = None
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        start = time.perf_counter()
        measure_from = start + warmup
        stop_at = measure_from + seconds

        async def worker(n: int) -> None:
            nonlocal errors, first_error, answered
            i = n
            while True:
                t0 = time.perf_counter()
                if t0 >= stop_at:
                    return
                try:
                    async with session.post(url, data=bodies[i % len(bodies)]) as response:
                        raw = await response.read()
                        ok = response.status == 200 and b'"content"' in raw
                except aiohttp.ClientError as exc:
                    ok, raw = False, str(exc).encode()
                t1 = time.perf_counter()
                i += 1
                answered += ok
                if t0 < measure_from:
                    continue
                if ok:
                    latencies.append((t1 - t0) * 1000)
                else:
                    errors += 1
                    first_error = first_error or raw[:300].decode("utf-8", "replace")

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return latencies, errors, first_error, answered


async def _warm(url: str, model: str, key: str, limit_s: float) -> None:
    """Send rounds of requests until every worker answers quickly (models, classifiers and
    connections load on first use), or ``limit_s`` passes."""
    import aiohttp

    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    # Every question of the load, each to every worker: a question may be the first to need a lazily
    # loaded resource (the first capitalised word the names recogniser cannot settle loads spaCy's NER).
    bodies = [json.dumps({"model": model, "max_tokens": 64, "messages": [
        {"role": "system", "content": SYSTEM}, {"role": "user", "content": q}]}).encode() for q in QUESTIONS]
    deadline = time.monotonic() + limit_s
    good = 0
    async with aiohttp.ClientSession(headers=headers) as session:
        async def one(body: bytes) -> tuple[bool, float]:
            t0 = time.perf_counter()
            try:
                async with session.post(url, data=body) as response:
                    await response.read()
                    return response.status == 200, time.perf_counter() - t0
            except aiohttp.ClientError:
                return False, time.perf_counter() - t0

        while time.monotonic() < deadline and good < 3:
            results = []
            for body in bodies:
                results += await asyncio.gather(*(one(body) for _ in range(4 * WORKERS)))
            good = good + 1 if all(ok and t < 0.25 for ok, t in results) else 0


def warm(url: str, model: str, key: str, limit_s: float = 90) -> None:
    asyncio.run(_warm(url, model, key, limit_s))


def cpu_seconds(proc: subprocess.Popen[bytes] | None) -> float | None:
    """User and system CPU time of a server: its process and every process under it (workers)."""
    if proc is None:
        return None
    import psutil

    try:
        root = psutil.Process(proc.pid)
        total = 0.0
        for p in [root, *root.children(recursive=True)]:
            with suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system
        return total
    except psutil.Error:
        return None


def measure(name: str, url: str, model: str, key: str, concurrency: int, seconds: float,
            server: subprocess.Popen[bytes] | None = None, round_: int = 1) -> Cell:
    cpu_before = cpu_seconds(server)
    latencies, errors, first_error, answered = asyncio.run(load(url, model, key, concurrency, seconds,
                                                                warmup=min(1.0, seconds / 4)))
    cpu_after = cpu_seconds(server)
    cell = Cell(name, concurrency, len(latencies), errors, seconds, len(latencies) / seconds,
                percentile(latencies, 0.5), percentile(latencies, 0.99), first_error=first_error, round=round_)
    if cpu_before is not None and cpu_after is not None and answered:
        cell.server_cpu_ms = (cpu_after - cpu_before) * 1000 / answered
    cpu = f"  server CPU {cell.server_cpu_ms:5.2f} ms/req" if cell.server_cpu_ms is not None else ""
    print(f"  {name:<28} c={concurrency:<3} {cell.rps:8.1f} req/s  p50 {cell.p50_ms:7.2f} ms  "
          f"p99 {cell.p99_ms:7.2f} ms  errors {errors}{cpu}", flush=True)
    return cell


# ----------------------------------------------------------------------------- the run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0, help="measured seconds per cell (default 6)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 32])
    parser.add_argument("--rounds", type=int, default=1, help="measure every cell this many times (default 1)")
    parser.add_argument("--litellm-venv", type=Path, default=LITELLM_VENV)
    parser.add_argument("--no-litellm", action="store_true", help="GovAI and the direct upstream only")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--serve-upstream", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_upstream:
        serve_upstream(args.serve_upstream)
        return 0

    work = Path(tempfile.mkdtemp(prefix="govai-gateway-bench-"))
    logs = work / "logs"
    logs.mkdir()
    if not os.environ.get("DATABASE_URL"):
        os.environ["GOVAI_HOME"] = str(work / "home")
    os.environ.setdefault("GOVAI_AUDIT_CHECKPOINT_EVERY", "0")
    procs: list[subprocess.Popen[bytes]] = []
    cells: list[Cell] = []
    stacks: dict[str, str] = {}
    commit_ms = float("nan")
    load_before = os.getloadavg()
    started = time.monotonic()
    try:
        up_port = free_port()
        procs.append(spawn([sys.executable, __file__, "--serve-upstream", str(up_port)], logs / "upstream.log"))
        upstream = f"http://127.0.0.1:{up_port}/v1"
        wait_http(f"{upstream}/models", 15, procs[-1])
        litellm_exe = None
        if not args.no_litellm:
            litellm_exe = litellm_install(args.litellm_venv)

        # GovAI.
        conf, token = govai_setup(work, upstream)
        commit_ms = durable_commit_ms()
        print(f"a durable one-row commit on GovAI's database takes {commit_ms:.2f} ms (p50): the floor under "
              "every audited request", flush=True)
        port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        govai = spawn([str(Path(sys.executable).with_name("govai")), "serve", "--services", str(conf), "--port",
                       str(port), "--workers", str(WORKERS), "--log-level", "warning"], logs / "govai.log", env)
        procs.append(govai)
        base = f"http://127.0.0.1:{port}/v1/chat/completions"
        # (label, url, model, key, server process)
        targets: list[tuple[str, str, str, str, subprocess.Popen[bytes] | None]] = [
            ("upstream (direct)", f"{upstream}/chat/completions", MODEL, "none", None),
            ("GovAI guards+PII on", base, "provider:upstream", token, govai),
            ("GovAI guards+PII off", base, "provider:upstream-approved", token, govai)]

        # LiteLLM, started beside GovAI (an idle server costs next to nothing), so that each
        # concurrency's cells run one after another under the same conditions.
        if litellm_exe is not None:
            lport = free_port()
            config = work / "litellm.yaml"
            # LiteLLM refuses to start without a master key (UnsafeMasterKeyError: "every request would
            # be accepted without authentication"): its proxy then checks that key on every request, as
            # GovAI checks its API keys. No database: LiteLLM runs without one.
            master_key = "sk-bench-" + secrets.token_hex(24)
            config.write_text(json.dumps({
                "model_list": [{"model_name": MODEL, "litellm_params": {
                    "model": f"openai/{MODEL}", "api_base": upstream, "api_key": "sk-bench"}}],
                "litellm_settings": {"drop_params": True},
                "general_settings": {"master_key": master_key}}), encoding="utf-8")
            lenv = {**os.environ, "LITELLM_LOG": "ERROR", "LITELLM_MODE": "PRODUCTION", "DISABLE_SCHEMA_UPDATE": "true",
                    "LITELLM_LOCAL_MODEL_COST_MAP": "True"}  # offline: its bundled cost map, no fetch
            for name in ("DATABASE_URL", "GOVAI_HOME"):
                lenv.pop(name, None)
            # Its workers import litellm for tens of seconds on a busy machine; uvicorn's supervisor must
            # not take that for a hung worker (its health check gives up after 5 s by default).
            litellm = spawn([str(litellm_exe), "--config", str(config), "--port", str(lport), "--num_workers",
                             str(WORKERS), "--timeout_worker_healthcheck", "120"], logs / "litellm.log", lenv)
            procs.append(litellm)
            targets.append(("LiteLLM proxy", f"http://127.0.0.1:{lport}/v1/chat/completions", MODEL, master_key,
                            litellm))

        wait_http(f"http://127.0.0.1:{port}/healthz", 120, govai)
        if litellm_exe is not None:
            try:
                wait_http(f"http://127.0.0.1:{lport}/health/liveliness", 400, litellm)
            except RuntimeError:
                tail = (logs / "litellm.log").read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
                print("the LiteLLM proxy did not start; the end of its log:\n  " + "\n  ".join(tail), flush=True)
                raise
        for label, url, model, key, server in targets[1:]:
            warm(url, model, key)

        stacks["GovAI"] = http_stack(Path(sys.executable))
        if litellm_exe is not None:
            stacks["LiteLLM"] = http_stack(litellm_exe.with_name("python"))
        print("uvicorn HTTP parser + event loop: " + "; ".join(f"{k} {v}" for k, v in stacks.items()), flush=True)
        print(f"gateway bench: {WORKERS} workers each, {args.seconds:g} s per cell, concurrency "
              f"{', '.join(map(str, args.concurrency))}, {args.rounds} round(s); upstream at {upstream}", flush=True)
        for r in range(args.rounds):
            for c in args.concurrency:
                for label, url, model, key, server in targets:
                    cells.append(measure(label, url, model, key, c, args.seconds, server, r + 1))
    finally:
        for proc in reversed(procs):
            stop(proc)

    direct = {(c.round, c.concurrency): c for c in cells if c.target == "upstream (direct)"}
    for cell in cells:
        base_cell = direct.get((cell.round, cell.concurrency))
        if base_cell is not None and cell.target != base_cell.target:
            cell.added_p50_ms = cell.p50_ms - base_cell.p50_ms
            cell.added_p99_ms = cell.p99_ms - base_cell.p99_ms
    print()
    print("| round | target | concurrency | requests/s | p50 ms | p99 ms | added p50 ms | added p99 ms "
          "| server CPU ms/req | errors |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for cell in cells:
        added50 = "" if cell.added_p50_ms is None else f"{cell.added_p50_ms:+.2f}"
        added99 = "" if cell.added_p99_ms is None else f"{cell.added_p99_ms:+.2f}"
        cpu = "" if cell.server_cpu_ms is None else f"{cell.server_cpu_ms:.2f}"
        print(f"| {cell.round} | {cell.target} | {cell.concurrency} | {cell.rps:.1f} | {cell.p50_ms:.2f} | {cell.p99_ms:.2f} | "
              f"{added50} | {added99} | {cpu} | {cell.errors} |")
    verdicts = [line for r in range(1, args.rounds + 1) for line in
                _targets([c for c in cells if c.round == r], max(args.concurrency), min(args.concurrency),
                         f"round {r}: " if args.rounds > 1 else "")]
    for line in verdicts:
        print(line)
    load_after = os.getloadavg()
    print(f"durable commit p50 {commit_ms:.2f} ms; {os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after (everything here shares those CPUs: client, upstream, servers, PostgreSQL)")
    print(f"{time.monotonic() - started:.0f} s in all; logs in {logs}")
    if args.out:
        args.out.write_text(json.dumps({"cells": [asdict(c) for c in cells], "targets": verdicts,
                                        "workers": WORKERS, "seconds": args.seconds, "cpus": os.cpu_count(),
                                        "durable_commit_ms": commit_ms, "load_average": [load_before[0], load_after[0]],
                                        "http_stacks": stacks},
                                       indent=2), encoding="utf-8")
    with suppress(OSError):
        if not any(c.errors for c in cells):
            shutil.rmtree(work / "home", ignore_errors=True)
    return 0


def _targets(cells: list[Cell], high: int, low: int, prefix: str = "") -> list[str]:
    def find(target: str, c: int) -> Cell | None:
        return next((x for x in cells if x.target == target and x.concurrency == c), None)

    out = []
    on_high, lite_high = find("GovAI guards+PII on", high), find("LiteLLM proxy", high)
    if on_high and lite_high and lite_high.rps:
        ratio = on_high.rps / lite_high.rps
        out.append(f"target throughput >= 2x LiteLLM at concurrency {high}: {ratio:.2f}x "
                   f"({'met' if ratio >= 2 else 'MISSED'})")
    on_low = find("GovAI guards+PII on", low)
    if on_low and on_low.added_p50_ms is not None:
        out.append(f"target added p50 <= 10 ms at concurrency {low}: {on_low.added_p50_ms:+.2f} ms "
                   f"({'met' if on_low.added_p50_ms <= 10 else 'MISSED'})")
    lite_low = find("LiteLLM proxy", low)
    if on_low and lite_low and lite_low.added_p50_ms is not None and on_low.added_p50_ms is not None:
        out.append(f"added p50 at concurrency {low}: GovAI {on_low.added_p50_ms:+.2f} ms, "
                   f"LiteLLM {lite_low.added_p50_ms:+.2f} ms")
    if on_high and lite_high and on_high.server_cpu_ms and lite_high.server_cpu_ms:
        out.append(f"server CPU per request at concurrency {high}: GovAI guards+PII on {on_high.server_cpu_ms:.2f} ms, "
                   f"LiteLLM {lite_high.server_cpu_ms:.2f} ms ({lite_high.server_cpu_ms / on_high.server_cpu_ms:.2f}x)")
    return [prefix + line for line in out]


if __name__ == "__main__":
    sys.exit(main())
