-- Hourly rollups for the analytics endpoints, and a time-leading sort key on agent actions.
--
-- The analytics figures of a week of actions cannot be read from the actions themselves within a
-- second (every action of the range is read, through FINAL). Closed hours are therefore
-- pre-aggregated: the rollup job (collector/src/processing) recomputes an hour from the FINAL views
-- once its derived rows have settled, and the analytics queries read rolled-up hours from these
-- tables and every other hour raw. A materialized view cannot do this: a trace re-derived with a
-- higher version would be counted once per version.

-- agent_actions_data re-keyed by hour of start, so the raw reads of the latest hours prune by time.
-- An action's started_at never changes between versions, so every version of a row keeps one sort
-- key and ReplacingMergeTree still collapses them. One statement: the new table is filled from the
-- old one and swapped in atomically; re-running it (a crash before the migration was recorded)
-- copies the table again, which is harmless. The views over the name keep working.
CREATE OR REPLACE TABLE agentflow.agent_actions_data
(
    tenant_id LowCardinality(String),
    action_id String,
    session_id String,
    trace_id String,
    parent_span_id String,
    agent_name LowCardinality(String),
    sequence UInt32,
    action_type LowCardinality(String),
    name String,
    tool_name LowCardinality(String),
    tool_call_id String,
    model LowCardinality(String),
    request_model LowCardinality(String),
    provider LowCardinality(String),
    status LowCardinality(String),
    error_type LowCardinality(String),
    error String,
    retry_attempt UInt16,
    input_tokens UInt64,
    output_tokens UInt64,
    cache_read_tokens UInt64,
    cache_write_tokens UInt64,
    reasoning_tokens UInt64,
    cost_usd Float64,
    -- provided (the emitter reported it), computed (tokens × price table) or unknown (no price).
    cost_source LowCardinality(String),
    started_at DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    ended_at DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    duration_ms Float64,
    args_hash String,
    result_hash String,
    finish_reasons Array(LowCardinality(String)),
    quality_score Nullable(Float32),
    version UInt64,
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_started started_at TYPE minmax GRANULARITY 1,
    -- Versions are derivation times: the rollup job finds recently derived rows by them.
    INDEX idx_version version TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(started_at)
ORDER BY (tenant_id, toStartOfHour(started_at), session_id, action_id)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1
AS SELECT * FROM agentflow.agent_actions_data;

-- Which hours of a tenant are rolled up: one row per (tenant, hour), the latest kept. The analytics
-- queries read an hour from the rollups only when its row here is not stale; `source_version` is
-- the newest derived row the hour held when it was computed. A purge marks the hour it cuts
-- through stale, so it is read raw until recomputed.
CREATE TABLE IF NOT EXISTS agentflow.agent_rollup_hours
(
    tenant_id LowCardinality(String),
    hour DateTime('UTC'),
    source_version UInt64,
    stale UInt8,
    computed_at UInt64
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour);

-- Sessions per tenant, hour of start and the columns the figures group by. Durations are of all
-- sessions of the row; a row's status tells whether they ended. Quantiles are t-digest states,
-- merged at read time (approximate); the sample message and session are the latest failure's.
CREATE TABLE IF NOT EXISTS agentflow.agent_session_rollups
(
    tenant_id LowCardinality(String),
    hour DateTime('UTC'),
    agent_name LowCardinality(String),
    goal_type LowCardinality(String),
    workflow_name LowCardinality(String),
    status LowCardinality(String),
    error_type LowCardinality(String),
    sessions UInt64,
    duration_total_ms Float64,
    duration_max_ms Float64,
    duration_q AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Float64),
    llm_calls UInt64,
    tool_calls UInt64,
    input_tokens UInt64,
    output_tokens UInt64,
    cache_read_tokens UInt64,
    cache_write_tokens UInt64,
    reasoning_tokens UInt64,
    cost_usd Float64,
    unpriced_calls UInt64,
    first_started_at DateTime64(9),
    last_started_at DateTime64(9),
    sample_message String,
    sample_session_id String,
    computed_at UInt64
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, agent_name, goal_type, workflow_name, status, error_type);

-- Actions per tenant, hour of start, agent, step (tool, model or span name) and model.
CREATE TABLE IF NOT EXISTS agentflow.agent_action_rollups
(
    tenant_id LowCardinality(String),
    hour DateTime('UTC'),
    agent_name LowCardinality(String),
    action_type LowCardinality(String),
    step String,
    model_name LowCardinality(String),
    provider LowCardinality(String),
    calls UInt64,
    failures UInt64,
    retries UInt64,
    total_ms Float64,
    duration_q AggregateFunction(quantilesTDigest(0.5, 0.95), Float64),
    input_tokens UInt64,
    output_tokens UInt64,
    cache_read_tokens UInt64,
    cache_write_tokens UInt64,
    reasoning_tokens UInt64,
    cost_usd Float64,
    unpriced_calls UInt64,
    computed_at UInt64
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, agent_name, action_type, step, model_name, provider);

-- Tool calls with identical arguments within a session, per hour: only groups reaching the repeat
-- threshold over the hour and its neighbours are kept, so the table stays small and a group that
-- repeats across an hour boundary still adds up.
CREATE TABLE IF NOT EXISTS agentflow.agent_repeat_rollups
(
    tenant_id LowCardinality(String),
    hour DateTime('UTC'),
    agent_name LowCardinality(String),
    tool_name LowCardinality(String),
    session_id String,
    args_hash String,
    calls UInt64,
    computed_at UInt64
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, agent_name, tool_name, session_id, args_hash);

-- The rollup job finds recently derived sessions by version (their derivation time), as for actions.
ALTER TABLE agentflow.agent_sessions_data ADD INDEX IF NOT EXISTS idx_version version TYPE minmax GRANULARITY 1;

ALTER TABLE agentflow.agent_sessions_data MATERIALIZE INDEX idx_version;
