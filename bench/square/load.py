"""A small closed-loop HTTP/1.1 load generator on asyncio streams (keep-alive, N connections).

Raw sockets rather than an HTTP library so the client spends as little CPU as possible: it shares the
machine's two cores with the server it measures.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, p: float) -> float:
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")

    def summary(self) -> dict:
        return {
            "name": self.name,
            "requests": self.requests,
            "errors": self.errors,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.pct(0.50), 2),
            "p99_ms": round(self.pct(0.99), 2),
        }


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One HTTP/1.1 response with a Content-Length: (status, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return status, (await reader.readexactly(length)) if length else b""


async def _worker(
    host: str,
    port: int,
    requests: itertools.cycle,
    deadline: float,
    lat: list[float],
    counts: list[int],
    max_requests: int | None,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline and (max_requests is None or counts[0] < max_requests):
            raw = next(requests)
            t = time.perf_counter()
            writer.write(raw)
            status, _body = await read_response(reader)
            lat.append((time.perf_counter() - t) * 1000)
            counts[0] += 1
            if status >= 400:
                counts[1] += 1
    finally:
        writer.close()


def build_requests(host: str, port: int, path: str, tokens: Sequence[str | None]) -> list[bytes]:
    out = []
    for tok in tokens:
        auth = f"Authorization: Bearer {tok}\r\n" if tok else ""
        out.append(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}Accept: application/json\r\n\r\n".encode()
        )
    return out


def run(
    name: str,
    host: str,
    port: int,
    path: str,
    tokens: Sequence[str | None],
    *,
    connections: int = 32,
    seconds: float = 15.0,
    max_requests: int | None = None,
) -> Result:
    reqs = build_requests(host, port, path, tokens)

    async def main() -> Result:
        lat: list[float] = []
        counts = [0, 0]
        start = time.perf_counter()
        deadline = start + seconds
        # connections share one walk over the request list, so every reader is asked for in turn
        shared = itertools.cycle(reqs)
        await asyncio.gather(
            *(_worker(host, port, shared, deadline, lat, counts, max_requests) for _ in range(connections))
        )
        return Result(name, counts[0], counts[1], time.perf_counter() - start, lat)

    return asyncio.run(main())
