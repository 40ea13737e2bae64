-- Agent records derived from raw spans by trace assembly. Every row is a deterministic function of
-- otel_traces, keyed by span identity, and versioned: a retried export, a replay or a rebuild
-- writes the same key again with a higher version, and ReplacingMergeTree keeps the latest. The
-- names in DESIGN.md (agent_sessions, …) are views that read the latest version with FINAL; the
-- *_data tables hold the versions. Partitions are by month of the record's own start time, which
-- never changes between versions, so every version of a row meets in the same partition.

CREATE TABLE IF NOT EXISTS agentflow.agent_sessions_data
(
    tenant_id LowCardinality(String),
    session_id String,
    trace_id String,
    root_session_id String,
    parent_session_id String,
    agent_id String,
    agent_name LowCardinality(String),
    agent_type LowCardinality(String),
    agent_description String,
    goal String,
    goal_type LowCardinality(String),
    task_id String,
    workflow_name LowCardinality(String),
    conversation_id String,
    user_id String,
    trigger LowCardinality(String),
    status LowCardinality(String),
    started_at DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    ended_at DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    duration_ms Float64,
    llm_calls UInt32,
    tool_calls UInt32,
    actions UInt32,
    errors UInt32,
    input_tokens UInt64,
    output_tokens UInt64,
    cache_read_tokens UInt64,
    cache_write_tokens UInt64,
    reasoning_tokens UInt64,
    cost_usd Float64,
    -- LLM calls whose model has no price: the session's cost_usd is a lower bound when > 0.
    unpriced_calls UInt32,
    error_type LowCardinality(String),
    error_message String,
    service_name LowCardinality(String),
    service_instance_id String,
    span_name String,
    dialect LowCardinality(String),
    -- 0 for a session found from an agent span, 1 for the implicit session of a trace with none.
    implicit UInt8,
    version UInt64,
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_conversation conversation_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_started started_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(started_at)
ORDER BY (tenant_id, session_id)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1;

CREATE VIEW IF NOT EXISTS agentflow.agent_sessions AS
SELECT * FROM agentflow.agent_sessions_data FINAL;

CREATE TABLE IF NOT EXISTS agentflow.agent_actions_data
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
    INDEX idx_started started_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(started_at)
ORDER BY (tenant_id, session_id, action_id)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1;

CREATE VIEW IF NOT EXISTS agentflow.agent_actions AS
SELECT * FROM agentflow.agent_actions_data FINAL;

CREATE TABLE IF NOT EXISTS agentflow.agent_state_transitions_data
(
    tenant_id LowCardinality(String),
    -- `<span id>:<event index>`: stable whatever else arrives later.
    transition_id String,
    session_id String,
    trace_id String,
    sequence UInt32,
    from_state LowCardinality(String),
    to_state LowCardinality(String),
    reason String,
    transition_type LowCardinality(String),
    entered_at DateTime64(9),
    -- The next transition's time, or the session's end; NULL while the session runs.
    exited_at Nullable(DateTime64(9)),
    duration_ms Nullable(Float64),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(entered_at)
ORDER BY (tenant_id, session_id, transition_id)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1;

CREATE VIEW IF NOT EXISTS agentflow.agent_state_transitions AS
SELECT * FROM agentflow.agent_state_transitions_data FINAL;

CREATE TABLE IF NOT EXISTS agentflow.agent_decisions_data
(
    tenant_id LowCardinality(String),
    -- `<span id>:<event index>` for an agentflow.decision event, the span id for a plan span.
    decision_id String,
    session_id String,
    trace_id String,
    action_id String,
    decision_type LowCardinality(String),
    question String,
    options Array(String),
    chosen String,
    chosen_index Int32,
    reasoning String,
    confidence Nullable(Float64),
    method LowCardinality(String),
    decided_at DateTime64(9),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(decided_at)
ORDER BY (tenant_id, session_id, decision_id)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1;

CREATE VIEW IF NOT EXISTS agentflow.agent_decisions AS
SELECT * FROM agentflow.agent_decisions_data FINAL;

CREATE TABLE IF NOT EXISTS agentflow.agent_communications_data
(
    tenant_id LowCardinality(String),
    -- `delegation:<child session>`, `handoff:<span id>`, `message:<span id>:<event index>`, `link:<span id>:<linked span id>`.
    communication_id String,
    trace_id String,
    from_session_id String,
    to_session_id String,
    from_agent LowCardinality(String),
    to_agent LowCardinality(String),
    -- delegation, handoff or link; for an agentflow.message event its own type (request, response…), else message
    message_type LowCardinality(String),
    request_id String,
    in_response_to String,
    channel LowCardinality(String),
    sent_at DateTime64(9),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(sent_at)
ORDER BY (tenant_id, trace_id, communication_id)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1;

CREATE VIEW IF NOT EXISTS agentflow.agent_communications AS
SELECT * FROM agentflow.agent_communications_data FINAL;

-- Models that LLM calls used but the price table does not know: their cost is not silently zero.
CREATE VIEW IF NOT EXISTS agentflow.unpriced_models AS
SELECT
    tenant_id,
    if(model != '', model, request_model) AS model,
    provider,
    count() AS calls,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    min(started_at) AS first_seen,
    max(started_at) AS last_seen
FROM agentflow.agent_actions
WHERE cost_source = 'unknown'
GROUP BY tenant_id, model, provider;
