"""Benchmark (b): HTTP webhook ingest with valid Standard Webhooks signatures.

Starts `opsgate`'s server in a child process on a loopback port (SQLite file
store, group-commit writer), then drives it from this process with a
concurrent keep-alive client over raw asyncio sockets. Every request is
signed; every 2xx is sent only after its event is committed. Prints
requests/s, p50, p99 and max latency, and checks the store holds every event.
It also prints the server's CPU time per request (from /proc) and the load
average: on a machine shared with other work, wall-clock figures fall with the
CPU share the benchmark gets, while the CPU cost per request does not.

    .venv/bin/python bench/webhook_ingest.py [--requests 20000] [--connections 32]
        [--log-level INFO|WARNING]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def serve(database_url: str, port: int, log_level: str) -> None:
    """Child process: run the server until killed."""
    import uvicorn

    from opsgate.logs import configure_logging
    from opsgate.rules.store.db import create_schema, create_store_engine
    from opsgate.server import create_app, serving_app
    from opsgate.settings import Settings

    settings = Settings(
        database_url=database_url,
        webhooks={"secrets": {"standard": SECRET}},
        logging={"level": log_level},
    )
    configure_logging(settings.logging)
    if os.environ.get("OPSGATE_BENCH_SWITCH_S"):
        sys.setswitchinterval(float(os.environ["OPSGATE_BENCH_SWITCH_S"]))
    engine = create_store_engine(database_url)
    create_schema(engine)
    app = serving_app(create_app(settings, engine=engine))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        lifespan="on",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_requests(count: int, port: int) -> list[bytes]:
    from opsgate.connectors.webhooks.standard import signed_headers

    now = int(time.time())
    requests = []
    for n in range(count):
        body = (
            b'{"type": "customer.upserted", "timestamp": "2026-12-01T09:30:00Z", '
            b'"data": {"source_key": "c-%d", "name": "Customer %d"}}' % (n, n)
        )
        headers = signed_headers(
            SECRET, msg_id=f"msg_bench_{n}", timestamp=now, body=body
        )
        head = (
            f"POST /webhooks/standard HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/json\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            + f"Content-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


async def connection(
    port: int, requests: list[bytes], latencies: list[float], statuses: dict[int, int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for request in requests:
        started = time.perf_counter()
        writer.write(request)
        status = await read_response(reader)
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
    writer.close()
    await writer.wait_closed()


async def drive(
    port: int, requests: list[bytes], connections: int
) -> tuple[float, list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    shares = [requests[i::connections] for i in range(connections)]
    started = time.perf_counter()
    await asyncio.gather(
        *(connection(port, share, latencies, statuses) for share in shares)
    )
    return time.perf_counter() - started, latencies, statuses


def wait_ready(port: int, child: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if child.poll() is not None:
            raise SystemExit(f"server exited with {child.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start within 15 s")


def count_events(database_url: str) -> int:
    from sqlmodel import Session, func, select

    from opsgate.rules.store.db import create_store_engine
    from opsgate.rules.store.tables import Event

    engine = create_store_engine(database_url)
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Event)).one())


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[
        min(len(sorted_values) - 1, int(fraction * len(sorted_values)))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument(
        "--serve", nargs=2, metavar=("DATABASE_URL", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.log_level)
        return

    import uvloop

    workdir = Path(tempfile.mkdtemp(prefix="opsgate-bench-"))
    database_url = f"sqlite:///{workdir / 'bench.db'}"
    port = free_port()
    server_script = os.environ.get("OPSGATE_BENCH_SERVER_SCRIPT")
    command = [
        sys.executable,
        __file__,
        "--serve",
        database_url,
        str(port),
        "--log-level",
        args.log_level,
    ]
    if server_script:
        command = [sys.executable, server_script, database_url, str(port)]
    child = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "server.log", "wb"),
    )
    try:
        wait_ready(port, child)
        all_requests = build_requests(args.warmup + args.requests, port)
        warmup, measured = all_requests[: args.warmup], all_requests[args.warmup :]
        uvloop.run(drive(port, warmup, args.connections))
        server_cpu, client_cpu = cpu_seconds(child.pid), time.process_time()
        elapsed, latencies, statuses = uvloop.run(
            drive(port, measured, args.connections)
        )
        server_cpu = cpu_seconds(child.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        child.terminate()
        child.wait(timeout=30)
    latencies.sort()
    stored = count_events(database_url)
    print(
        f"webhook ingest, {args.requests} signed requests, {args.connections} connections, "
        f"SQLite file store, server log level {args.log_level}, {os.cpu_count()} CPUs"
    )
    print(f"  requests/s  {args.requests / elapsed:,.0f}")
    print(f"  p50         {percentile(latencies, 0.50) * 1000:.2f} ms")
    print(f"  p99         {percentile(latencies, 0.99) * 1000:.2f} ms")
    print(f"  max         {latencies[-1] * 1000:.2f} ms")
    print(f"  mean        {statistics.fmean(latencies) * 1000:.2f} ms")
    print(f"  statuses    {dict(sorted(statuses.items()))}")
    per_request_us = server_cpu / args.requests * 1e6
    print(
        f"  server CPU  {per_request_us:.0f} us/request "
        f"(one core's ceiling: {1e6 / per_request_us:,.0f} requests/s)"
    )
    print(f"  client CPU  {client_cpu / args.requests * 1e6:.0f} us/request")
    print(f"  load avg    {os.getloadavg()[0]:.2f} (other processes share the CPUs)")
    print(f"  events in store {stored} (expected {args.warmup + args.requests})")


if __name__ == "__main__":
    main()
