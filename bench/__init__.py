"""Benchmark tooling: content at scale, a trivial view and a query counter (enabled by TECHFLOW_BENCH)."""
