"""M/M/c queueing (Erlang C): how long a request waits for a free instance at a given load.

A component is `c` identical servers (its running instances), each serving `mu` requests
per second (its per-instance throughput), offered `lam` requests per second (its peak load)
in a Poisson stream. Erlang C gives the probability that a request has to wait; the wait
of those that do is exponential with rate `c*mu - lam`:

    a = lam / mu                       offered traffic, in erlangs
    rho = a / c                        utilisation (>= 1: the queue grows without bound)
    B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))          Erlang B, by recursion
    C(c, a) = B(c, a) / (1 - rho (1 - B(c, a)))          Erlang C
    P(W > t) = C exp(-(c mu - lam) t)
    E[W] = C / (c mu - lam)
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def erlang_b(servers: int, offered: float) -> float:
    """Erlang B: the probability that all `servers` are busy (blocking), by stable recursion."""
    if servers < 1:
        raise ValueError("servers must be at least 1")
    b = 1.0
    for k in range(1, servers + 1):
        b = offered * b / (k + offered * b)
    return b


def erlang_c(servers: int, offered: float) -> float:
    """Erlang C: the probability that a request waits; 1.0 at or beyond saturation."""
    if offered <= 0:
        return 0.0
    rho = offered / servers
    if rho >= 1:
        return 1.0
    b = erlang_b(servers, offered)
    return b / (1 - rho * (1 - b))


@dataclass(frozen=True)
class Queue:
    """An M/M/c station: `servers` instances of rate `mu` offered `lam` per second."""

    servers: int
    mu: float  # per instance, per second
    lam: float  # offered, per second

    @property
    def utilization(self) -> float:
        """lam / (c mu)."""
        return self.lam / (self.servers * self.mu)

    @property
    def saturated(self) -> bool:
        """True at or over 100% utilisation: waits grow without bound."""
        return self.utilization >= 1

    @property
    def wait_probability(self) -> float:
        """Erlang C."""
        return erlang_c(self.servers, self.lam / self.mu)

    @property
    def drain_rate(self) -> float:
        """c mu - lam: the rate of the exponential wait of requests that queue."""
        return self.servers * self.mu - self.lam

    @property
    def mean_wait(self) -> float:
        """E[W] in seconds; infinite when saturated."""
        if self.saturated:
            return math.inf
        return self.wait_probability / self.drain_rate

    def wait_percentile(self, q: float) -> float:
        """The q-quantile of the wait in seconds (0 when fewer than 1-q requests wait)."""
        if self.saturated:
            return math.inf
        c = self.wait_probability
        if c <= 1 - q:
            return 0.0
        return math.log(c / (1 - q)) / self.drain_rate
