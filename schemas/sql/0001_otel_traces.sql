-- Raw spans: the source of truth every derived table is rebuilt from.
-- Column names and types follow the OpenTelemetry Collector's ClickHouse exporter, so the Grafana
-- ClickHouse plugin's OTel trace view reads this table unchanged; TenantId is our addition.
CREATE TABLE IF NOT EXISTS agentflow.otel_traces
(
    TenantId LowCardinality(String) CODEC(ZSTD(1)),
    -- Spans arrive roughly in time order, so Delta shrinks the timestamps to small numbers first.
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    -- Random hex ids do not compress much; ZSTD(1) is the cheap codec that still halves hex.
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested
    (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    Links Nested
    (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    -- Trace lookup: the sort key cannot serve "all spans of trace X", so a tight bloom filter
    -- skips granules without the id; otel_traces_trace_id_ts narrows the time range first.
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    -- Resource attributes are few per span (service, instance, host), so bloom filters on them are
    -- cheap and let "spans of instance X" skip granules. Span attributes get none: at ~20 keys per
    -- agent span, key and value bloom filters cost ~40% of insert time (measured on chDB 26.7),
    -- and attribute questions (which agent, which model) are answered by the derived agent tables.
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
)
ENGINE = MergeTree
-- Daily partitions make time-range scans prune whole days and let retention drop whole parts.
PARTITION BY toDate(Timestamp)
-- Tenant first (every query binds it), then the exporter's key: service and span name are what
-- dashboards filter on, and the second-resolution time keeps each (service, span) run time-ordered.
ORDER BY (TenantId, ServiceName, SpanName, toDateTime(Timestamp))
-- The deduplication window lets a batch re-inserted after a crash (same insert_deduplication_token)
-- be dropped instead of stored twice; 1000 blocks is minutes of ingest at full speed. Fresh parts
-- stay compact (one file) and become wide only when merged: ~10% less CPU per row on insert and
-- merge on chDB 26.7, where a wide part per 10k-row insert opened ~150 files.
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1;

-- First and last time seen per trace, so a lookup by trace id reads one small table to learn
-- which partitions and time range of otel_traces to scan (the Grafana plugin uses it the same way).
CREATE TABLE IF NOT EXISTS agentflow.otel_traces_trace_id_ts
(
    TenantId LowCardinality(String) CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    Start DateTime CODEC(Delta(4), ZSTD(1)),
    End DateTime CODEC(Delta(4), ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(Start)
ORDER BY (TenantId, TraceId, Start)
-- Same window as otel_traces: the view's insert is deduplicated along with its source block.
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS agentflow.otel_traces_trace_id_ts_mv
TO agentflow.otel_traces_trace_id_ts
AS SELECT
    TenantId,
    TraceId,
    min(toDateTime(Timestamp)) AS Start,
    max(toDateTime(Timestamp)) AS End
FROM agentflow.otel_traces
WHERE TraceId != ''
GROUP BY TenantId, TraceId;
