-- Answer quality of model calls (issue 10, response quality): the failed checks beside the score
-- that 0003 already holds. Existing rows read as [] (no checks ran on them).
ALTER TABLE agentflow.agent_actions_data
    ADD COLUMN IF NOT EXISTS quality_issues Array(LowCardinality(String)) AFTER quality_score;

-- A view's columns are fixed when it is created, `SELECT *` included (ClickHouse 26.7: the view
-- keeps its old columns and `quality_issues` is an unknown identifier through it), so the view is
-- recreated over the widened table.
CREATE OR REPLACE VIEW agentflow.agent_actions AS
SELECT * FROM agentflow.agent_actions_data FINAL;
