-- Anomalies found by the processor: loops, stuck sessions, broken budgets. One row per anomaly
-- in its latest version: detection is repeated as spans arrive, after a retried export and on a
-- rebuild, and each time writes the same anomaly_id (derived from what was found) with a higher
-- version, so `anomalies` never lists one twice. Partitioned by the month it was detected, a
-- time that never changes between versions.

CREATE TABLE IF NOT EXISTS agentflow.anomalies_data
(
    tenant_id LowCardinality(String),
    anomaly_id String,
    session_id String,
    trace_id String,
    agent_name LowCardinality(String),
    kind LowCardinality(String),
    severity LowCardinality(String),
    detail String,
    evidence Array(String),
    count UInt32,
    detected_at DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    last_seen_at DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    resolved_at Nullable(DateTime64(9)),
    version UInt64,
    INDEX idx_session session_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_detected detected_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(detected_at)
ORDER BY (tenant_id, anomaly_id)
SETTINGS index_granularity = 8192;

CREATE VIEW IF NOT EXISTS agentflow.anomalies AS
SELECT * FROM agentflow.anomalies_data FINAL;
