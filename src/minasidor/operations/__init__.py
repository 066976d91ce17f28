"""The operators' side of the portal: liveness, readiness, the Prometheus metrics and OpenTelemetry traces.

No page for citizens, nothing about persons (docs/observability.md).
"""
