import type { AlertRuleView, AlertTestResponse } from '../api/alerts-route.js';
import { CliError, EXIT, getJson, postJson, type ServerTarget } from './http.js';
import { renderTable } from './table.js';

/**
 * `agentflow alerts test <rule>`: has the running server send the rule's webhook a test alert
 * now; exit code 1 when the receiver did not accept it. `agentflow alerts rules`: the rules, as
 * the server shows them (header values and webhook paths left out).
 */
export async function alertsCommand(target: ServerTarget, args: readonly string[], json: boolean, out: (text: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'test') {
    if (rest.length !== 1) throw new CliError(EXIT.USAGE, 'alerts test takes exactly one argument: the rule name');
    const result = await postJson<AlertTestResponse>(target, '/api/v1/alerts/test', { rule: rest[0] });
    if (json) out(JSON.stringify(result, null, 2));
    const answer = result.status === null ? 'no answer' : `HTTP ${result.status}`;
    if (!result.ok) throw new CliError(EXIT.QUERY_FAILED, `test alert for rule '${result.rule}' failed (${answer}): ${result.error ?? 'unknown error'}`);
    if (!json) out(`test alert for rule '${result.rule}' delivered (${answer})`);
    return;
  }
  if (sub === 'rules') {
    if (rest.length !== 0) throw new CliError(EXIT.USAGE, 'alerts rules takes no arguments');
    const { rules } = await getJson<{ rules: AlertRuleView[] }>(target, '/api/v1/alerts/rules');
    if (json) {
      out(JSON.stringify(rules, null, 2));
      return;
    }
    out(renderTable(['rule', 'kind', 'severity', 'agent', 'tenant', 'webhook', 'interval'], rules.map((r) => ({
      rule: r.name,
      kind: r.kind ?? (r.kind_prefix ? `${r.kind_prefix}*` : 'any'),
      severity: r.severity === 'warning' ? 'any' : `${r.severity}+`,
      agent: r.agent ?? 'any',
      tenant: r.tenant ?? 'any',
      webhook: r.webhook.url,
      interval: durationText(r.interval_ms),
    }))));
    out(`${rules.length} rule${rules.length === 1 ? '' : 's'}`);
    return;
  }
  throw new CliError(EXIT.USAGE, "alerts takes a subcommand: 'alerts test <rule>' or 'alerts rules'");
}

/** `10m`, `1h`, `90s`: the largest unit that divides the duration, as rules files write it. */
function durationText(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
