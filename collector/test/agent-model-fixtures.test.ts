import { decodeTracesProto } from '../src/receiver/otlp/index.js';
import { describeAgentModelScenarios, loadAgentModelScenarios } from './helpers/agent-model-expectations.js';

/**
 * Every captured framework payload goes in through the HTTP receiver; the derived agent tables
 * must hold what the fixture's `.expect.json` says a correct mapping finds.
 */
const scenarios = loadAgentModelScenarios({
  // `<scenario>.pb`, or `<scenario>.N.pb` when the exporter sent several requests.
  files: (files, scenario) => files.filter((f) => f === `${scenario}.pb` || new RegExp(`^${scenario}\\.\\d+\\.pb$`).test(f)),
  traceIds: (body) => decodeTracesProto(body, 'default').rows.map((r) => r.traceId),
});

describeAgentModelScenarios(scenarios, { url: '/v1/traces', contentType: 'application/x-protobuf' });
