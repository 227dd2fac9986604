"""Prometheus metrics every part of the bot records into; served at /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter("sake_sensei_requests", "HTTP requests by platform and status", ["platform", "status"], registry=REGISTRY)
HANDLING = Histogram(
    "sake_sensei_handling_seconds", "Time to handle one event in the core", ["platform"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TOOL_CALLS = Counter("sake_sensei_tool_calls", "Agent tool calls", ["tool"], registry=REGISTRY)
OCR_SECONDS = Histogram(
    "sake_sensei_ocr_seconds", "Label reading time", registry=REGISTRY, buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10)
)
ERRORS = Counter("sake_sensei_errors", "Replies carrying an SS error code", ["code"], registry=REGISTRY)
DUPLICATES = Counter("sake_sensei_duplicate_events", "Deliveries dropped as duplicates", ["platform"], registry=REGISTRY)
RESENT = Counter("sake_sensei_replies_resent", "Kept replies sent again by a retried job (the first send never landed)",
                 ["platform"], registry=REGISTRY)
QUEUE_DEPTH = Gauge("sake_sensei_queue_depth", "Jobs waiting or running", registry=REGISTRY)
