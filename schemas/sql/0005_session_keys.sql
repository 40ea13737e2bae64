-- Sessions keyed for newest-first lists. `ORDER BY (tenant_id, session_id)` made every page of
-- `GET /sessions` read all of a tenant's sessions through FINAL; with started_at second in the key
-- a page reads a time range. ReplacingMergeTree collapses versions by the whole sort key, and a
-- session's started_at (its span's start) is the same in every version, so deduplication is
-- unchanged. Lookups by id go through the session_id bloom filter instead of the key.
--
-- The sort key of a table cannot be changed in place, so the rows move to a table with the new key
-- that then takes the old one's name. Every statement is safe to run again after a crash at any
-- point: agent_sessions_data holds every row throughout (EXCHANGE is atomic), a leftover copy is
-- dropped before copying, and copying a table that was already re-keyed copies it once more.
-- Migrations run before the writer starts, so no row arrives during the copy. The TTL is set again
-- at start by retention.

DROP TABLE IF EXISTS agentflow.agent_sessions_rekeyed SYNC;

CREATE TABLE agentflow.agent_sessions_rekeyed
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
    INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_conversation conversation_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(started_at)
ORDER BY (tenant_id, started_at, session_id)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000, min_level_for_wide_part = 1;

-- Block deduplication off: this is a copy, not a retried insert.
INSERT INTO agentflow.agent_sessions_rekeyed SELECT * FROM agentflow.agent_sessions_data
SETTINGS insert_deduplicate = 0;

EXCHANGE TABLES agentflow.agent_sessions_data AND agentflow.agent_sessions_rekeyed;

DROP TABLE agentflow.agent_sessions_rekeyed SYNC;

-- Live sessions: the derived sessions to leave out are looked up by the started agent spans' ids
-- (the session_id bloom filter), not read for the whole two days.
CREATE OR REPLACE VIEW agentflow.agent_live_sessions AS
WITH
    starts AS
    (
        SELECT
            TenantId,
            TraceId,
            SpanId,
            Timestamp,
            ServiceName,
            ResourceAttributes['service.instance.id'] AS service_instance_id,
            LogAttributes['gen_ai.operation.name'] AS operation,
            LogAttributes['gen_ai.agent.id'] AS agent_id,
            LogAttributes['gen_ai.agent.name'] AS agent_name,
            LogAttributes['agentflow.agent.type'] AS agent_type,
            LogAttributes['agentflow.goal'] AS goal,
            LogAttributes['gen_ai.workflow.name'] AS workflow_name,
            LogAttributes['gen_ai.conversation.id'] AS conversation_id,
            LogAttributes['agentflow.span.parent_span_id'] AS parent_span_id,
            LogAttributes['agentflow.span.name'] AS span_name
        FROM agentflow.otel_logs
        WHERE EventName = 'agentflow.span.start' AND Timestamp > now() - INTERVAL 1 DAY
    ),
    activity AS
    (
        SELECT TenantId, TraceId, max(Timestamp) AS last_activity_at, argMax(span_name, Timestamp) AS last_action
        FROM starts
        GROUP BY TenantId, TraceId
    )
SELECT
    s.TenantId AS tenant_id,
    s.SpanId AS session_id,
    s.TraceId AS trace_id,
    s.parent_span_id AS parent_span_id,
    s.agent_id AS agent_id,
    s.agent_name AS agent_name,
    s.agent_type AS agent_type,
    s.goal AS goal,
    s.workflow_name AS workflow_name,
    s.conversation_id AS conversation_id,
    'running' AS status,
    s.Timestamp AS started_at,
    a.last_activity_at AS last_activity_at,
    a.last_action AS last_action,
    dateDiff('millisecond', a.last_activity_at, now64(3)) AS idle_ms,
    s.ServiceName AS service_name,
    s.service_instance_id AS service_instance_id
FROM starts AS s
INNER JOIN activity AS a ON a.TenantId = s.TenantId AND a.TraceId = s.TraceId
WHERE s.operation = 'invoke_agent'
  AND (s.TenantId, s.SpanId) NOT IN
  (
      SELECT tenant_id, session_id FROM agentflow.agent_sessions_data
      WHERE started_at > now() - INTERVAL 2 DAY
        AND session_id IN (SELECT SpanId FROM starts WHERE operation = 'invoke_agent')
  );
