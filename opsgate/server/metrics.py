"""Prometheus metrics of one app: its own registry, so apps never share counters."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from opsgate.rules.store.tables import Delivery

LATENCY_BUCKETS_S = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
"""Histogram buckets of webhook latency, in seconds."""


class DeliveryStatusCollector(Collector):
    """Count deliveries by status from the store at each scrape."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield `opsgate_deliveries{status}`."""
        family = GaugeMetricFamily(
            "opsgate_deliveries",
            "Deliveries in the outbox, by status.",
            labels=["status"],
        )
        with Session(self._engine) as session:
            rows = session.exec(
                select(Delivery.status, func.count()).group_by(Delivery.status)
            ).all()
        for status, count in rows:
            family.add_metric([str(status)], count)
        yield family


class ServerMetrics:
    """The counters and histogram the server updates."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.events_accepted = Counter(
            "opsgate_events_accepted",
            "Events accepted, by source.",
            ["source"],
            registry=self.registry,
        )
        self.rejects = Counter(
            "opsgate_webhook_rejects",
            "Webhook requests refused, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "opsgate_webhook_latency_seconds",
            "Time from request to answer for webhooks, in seconds.",
            buckets=LATENCY_BUCKETS_S,
            registry=self.registry,
        )
        self.registry.register(DeliveryStatusCollector(engine))
