-- The live views of 0004 bounded their scans on Timestamp alone, but otel_logs is partitioned and
-- sorted by TimestampTime: every read of agent_live_sessions and agent_instances (the running list,
-- the registry, the demo report) scanned the whole log table. Same views, with the same bound on
-- TimestampTime as well, so ClickHouse prunes partitions and granules.

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
        WHERE EventName = 'agentflow.span.start' AND TimestampTime > now() - INTERVAL 1 DAY AND Timestamp > now() - INTERVAL 1 DAY
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
      SELECT tenant_id, session_id FROM agentflow.agent_sessions_data WHERE started_at > now() - INTERVAL 2 DAY
  );

CREATE OR REPLACE VIEW agentflow.agent_instances AS
SELECT
    TenantId AS tenant_id,
    ResourceAttributes['service.instance.id'] AS service_instance_id,
    argMax(ServiceName, Timestamp) AS service_name,
    argMax(ResourceAttributes['agentflow.agent.type'], Timestamp) AS agent_type,
    min(Timestamp) AS first_seen,
    max(Timestamp) AS last_heartbeat,
    argMax(LogAttributes['agentflow.instance.status'], Timestamp) AS reported_status,
    toUInt32OrZero(argMax(LogAttributes['agentflow.instance.load'], Timestamp)) AS current_load,
    toUInt32OrZero(argMax(LogAttributes['agentflow.agent.capacity'], Timestamp)) AS max_capacity,
    toUInt32OrZero(argMax(LogAttributes['agentflow.heartbeat.interval_ms'], Timestamp)) AS heartbeat_interval_ms,
    if(reported_status != 'offline'
           AND last_heartbeat < now64(9) - toIntervalMillisecond(3 * greatest(heartbeat_interval_ms, 1000)),
       'offline', reported_status) AS status
FROM agentflow.otel_logs
WHERE EventName = 'agentflow.heartbeat' AND TimestampTime > now() - INTERVAL 7 DAY AND Timestamp > now() - INTERVAL 7 DAY
GROUP BY tenant_id, service_instance_id;
