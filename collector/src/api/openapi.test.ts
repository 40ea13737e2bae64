import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';

describe('openApiDocument', () => {
  const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean }[]; requestBody?: unknown }>> };

  it('documents every REST route with the parameters its zod schema validates', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/admin/purge', '/admin/rebuild', '/alerts/rules', '/alerts/test', '/analytics/agents/{agent}', '/analytics/overview', '/anomalies', '/debug/agent-fired', '/guard', '/live', '/quality/poor-responses', '/sessions', '/sessions/{id}', '/sessions/{id}/diagram', '/sessions/{id}/tree', '/sql', '/traces/{traceId}']);
    const list = doc.paths['/sessions']?.get?.parameters.map((p) => p.name) ?? [];
    expect(list).toEqual(expect.arrayContaining(['agent', 'status', 'from', 'to', 'cursor', 'limit', 'min_cost', 'q']));
    expect(doc.paths['/sessions/{id}']?.get?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(doc.paths['/anomalies']?.get?.parameters.map((p) => p.name)).toEqual(['kind', 'severity', 'agent', 'session', 'state', 'from', 'to', 'limit', 'cursor']);
    expect(doc.paths['/quality/poor-responses']?.get?.parameters.map((p) => p.name)).toEqual(['threshold', 'since', 'agent', 'limit']);
    expect(doc.paths['/guard']?.post?.requestBody).toMatchObject({ required: true });
    expect(doc.paths['/sql']?.post?.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { query: { type: 'string' } } } } } });
  });
});
