/** The requests the query bench times, their targets, and how each answer is checked. */
import type { GeneratedDataset } from './query-protocol.js';

/** p95 targets (issue 5): list and detail under 100 ms; analytics over 7 days under 1 s. */
export const QUERY_TARGETS_MS = { list: 100, detail: 100, analytics: 1_000 } as const;

/** Which target an endpoint is held to. */
export type EndpointGroup = keyof typeof QUERY_TARGETS_MS;

/** One timed endpoint: the path of its i-th request, and a check of a 200 answer's body. */
export interface EndpointSpec {
  name: string;
  group: EndpointGroup;
  path: (i: number) => string;
  /** Undefined when the body is right, else what is wrong with it. */
  check: (body: unknown) => string | undefined;
}

/** What the specs are built from: the dataset and the list's second-page cursor. */
export interface EndpointInputs {
  dataset: GeneratedDataset;
  /** `next_cursor` of the first page of `GET /sessions`. */
  cursor: string;
}

const API = '/api/v1';
const PAGE = 50;

function pageCheck(body: unknown): string | undefined {
  const sessions = (body as { sessions?: unknown[] }).sessions;
  return Array.isArray(sessions) && sessions.length === PAGE ? undefined : `expected a page of ${PAGE} sessions`;
}

/**
 * The timed endpoints, in order. Session ids and agents cycle through the dataset's samples so
 * consecutive requests do not ask the same thing; analytics ask for the busiest agent, the most
 * rows an agent has. An analytics answer must count exactly the bench tenant's sessions (each
 * once: re-derived versions collapsed, the other tenant left out).
 */
export function endpointSpecs({ dataset, cursor }: EndpointInputs): EndpointSpec[] {
  const ids = dataset.sampleSessionIds;
  const agents = dataset.agents;
  const busiest = agents[0] ?? { name: 'none', sessions: 0 };
  const tenantSessions = agents.reduce((n, a) => n + a.sessions, 0);
  const from = encodeURIComponent(dataset.windowFrom);
  const executions = (expected: number) => (body: unknown): string | undefined => {
    const got = (body as { summary?: { executions?: unknown } }).summary?.executions;
    return got === expected ? undefined : `expected ${expected} executions, got ${String(got)}`;
  };
  return [
    { name: 'GET /sessions', group: 'list', path: () => `${API}/sessions`, check: pageCheck },
    {
      name: 'GET /sessions?agent=', group: 'list',
      path: (i) => `${API}/sessions?agent=${encodeURIComponent(agents[i % agents.length]?.name ?? '')}`,
      check: (body) => (Array.isArray((body as { sessions?: unknown }).sessions) ? undefined : 'no sessions array'),
    },
    { name: 'GET /sessions?cursor= (page 2)', group: 'list', path: () => `${API}/sessions?cursor=${encodeURIComponent(cursor)}`, check: pageCheck },
    {
      name: 'GET /sessions/:id', group: 'detail', path: (i) => `${API}/sessions/${ids[i % ids.length]}`,
      check: (body) => ((body as { session?: { session_id?: unknown } }).session?.session_id ? undefined : 'no session'),
    },
    {
      name: 'GET /sessions/:id/tree', group: 'detail', path: (i) => `${API}/sessions/${ids[i % ids.length]}/tree`,
      check: (body) => ((body as { session?: unknown }).session ? undefined : 'no tree'),
    },
    { name: 'GET /analytics/overview', group: 'analytics', path: () => `${API}/analytics/overview?from=${from}`, check: executions(tenantSessions) },
    {
      name: `GET /analytics/agents/:agent`, group: 'analytics',
      path: () => `${API}/analytics/agents/${encodeURIComponent(busiest.name)}?from=${from}`, check: executions(busiest.sessions),
    },
  ];
}
