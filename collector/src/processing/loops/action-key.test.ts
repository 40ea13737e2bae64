import { describe, expect, it } from 'vitest';
import { actionKey, canonicalArguments, resultKey } from './action-key.js';

const toolKey = (name: string, args: unknown) => actionKey('tool_call', name, JSON.stringify(args), '');

describe('canonicalArguments', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalArguments('{"b":1,"a":{"d":[{"z":1,"y":2}],"c":3}}')).toBe('{"a":{"c":3,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('ignores whitespace between tokens and trims string values', () => {
    expect(canonicalArguments('{ "path" :  "  src/a.ts\\n" ,\n "mode": "r" }')).toBe('{"mode":"r","path":"src/a.ts"}');
  });

  it('keeps the case of ordinary string values', () => {
    expect(canonicalArguments('{"path":"src/README.md"}')).toBe('{"path":"src/README.md"}');
  });

  it('lower-cases search queries', () => {
    expect(canonicalArguments('{"query":"OTLP HTTP","q":"Paris","keywords":["Rust","GO"]}'))
      .toBe('{"keywords":["rust","go"],"q":"paris","query":"otlp http"}');
  });

  it('lower-cases URLs under any key', () => {
    expect(canonicalArguments('{"url":"HTTPS://Example.COM/Docs","target":"https://Example.com/A"}'))
      .toBe('{"target":"https://example.com/a","url":"https://example.com/docs"}');
  });

  it('drops volatile keys at every depth', () => {
    const text = JSON.stringify({
      path: 'a.ts', request_id: 'r-1', timestamp: 1_700_000_000, nonce: 'x9', tool_call_id: 'call_1',
      meta: { requestId: 'r-2', traceId: 'abc', cacheBuster: 7, keep: true },
    });
    expect(canonicalArguments(text)).toBe('{"meta":{"keep":true},"path":"a.ts"}');
  });

  it('keeps UUIDs that name what is asked for (records fetched by id are different calls)', () => {
    expect(canonicalArguments('{"doc":"123e4567-e89b-12d3-a456-426614174000","n":1}')).toBe('{"doc":"123e4567-e89b-12d3-a456-426614174000","n":1}');
    expect(canonicalArguments('{"doc":"123e4567-e89b-12d3-a456-426614174000"}')).not.toBe(canonicalArguments('{"doc":"223e4567-e89b-12d3-a456-426614174000"}'));
  });

  it('drops UUIDs under volatile keys', () => {
    expect(canonicalArguments('{"request_id":"123e4567-e89b-12d3-a456-426614174000","uuid":"223e4567-e89b-12d3-a456-426614174000","n":1}')).toBe('{"n":1}');
  });

  it('blanks ISO date-time values but keeps plain dates', () => {
    expect(canonicalArguments('{"since":"2025-01-01T10:00:00.123Z","at":"2025-01-01T10:00+02:00","date":"2026-03-14"}'))
      .toBe('{"at":"","date":"2026-03-14","since":""}');
  });

  it('reads arguments sent as a JSON string holding JSON', () => {
    const inner = '{"b":1,"a":"  x "}';
    expect(canonicalArguments(JSON.stringify(inner))).toBe(canonicalArguments(inner));
    expect(canonicalArguments(JSON.stringify(inner))).toBe('{"a":"x","b":1}');
  });

  it('trims text that is not JSON and folds its whitespace, keeping its case', () => {
    expect(canonicalArguments('  ls   -la\n\tSrc ')).toBe('ls -la Src');
  });

  it('gives empty text for empty or blank arguments', () => {
    expect(canonicalArguments('   ')).toBe('');
  });
});

describe('actionKey', () => {
  it('is the same for arguments that differ only in key order, whitespace, query case and volatile fields', () => {
    const a = actionKey('tool_call', 'search_web', '{"query":"OTLP HTTP","limit":5,"request_id":"r-1"}', '');
    const b = actionKey('tool_call', 'search_web', '{ "limit": 5, "query": "  otlp http ", "request_id": "r-2", "ts": 99 }', '');
    expect(a).toBe(b);
  });

  it('is a short in-memory hash', () => {
    expect(toolKey('read_file', { path: 'a.ts' })).toMatch(/^[0-9a-z]{1,11}$/);
  });

  it('tells different files apart', () => {
    expect(toolKey('read_file', { path: 'src/a.ts' })).not.toBe(toolKey('read_file', { path: 'src/b.ts' }));
  });

  it('tells different URLs apart', () => {
    expect(toolKey('fetch_page', { url: 'https://example.com/a' })).not.toBe(toolKey('fetch_page', { url: 'https://example.com/b' }));
  });

  it('tells different tools with the same arguments apart', () => {
    expect(toolKey('read_file', { path: 'a.ts' })).not.toBe(toolKey('delete_file', { path: 'a.ts' }));
  });

  it('tells action types with the same name and arguments apart', () => {
    expect(actionKey('tool_call', 'x', '{}', '')).not.toBe(actionKey('handoff', 'x', '{}', ''));
  });

  it('uses the fallback hash when the arguments were not captured', () => {
    expect(actionKey('tool_call', 'read_file', '', 'h1')).toBe(actionKey('tool_call', 'read_file', '', 'h1'));
    expect(actionKey('tool_call', 'read_file', '', 'h1')).not.toBe(actionKey('tool_call', 'read_file', '', 'h2'));
  });

  it('prefers the captured arguments to the fallback hash', () => {
    expect(actionKey('tool_call', 'read_file', '{"path":"a"}', 'h1')).toBe(actionKey('tool_call', 'read_file', '{"path":"a"}', 'h2'));
  });
});

describe('resultKey', () => {
  it('keys a failure by its error type, whatever the result text', () => {
    expect(resultKey(true, 'TimeoutError', 'timed out after 30 s', 'h1')).toBe('error:TimeoutError');
    expect(resultKey(true, 'TimeoutError', 'timed out after 31 s', 'h2')).toBe('error:TimeoutError');
  });

  it('keys a failure without an error type as a plain error', () => {
    expect(resultKey(true, '', '', '')).toBe('error:error');
  });

  it('tells failures of different error types apart', () => {
    expect(resultKey(true, 'TimeoutError', '', '')).not.toBe(resultKey(true, 'PermissionError', '', ''));
  });

  it("keys a success by the mapping's hash of its result when there is one", () => {
    expect(resultKey(false, '', '{"status":"pending"}', 'h1')).toBe('h1');
  });

  it('keys a success by its canonical result otherwise', () => {
    expect(resultKey(false, '', '{"status":"pending","id":"x"}', '')).toBe(resultKey(false, '', '{ "id": "x", "status": "pending" }', ''));
  });

  it('tells different results apart', () => {
    expect(resultKey(false, '', '{"status":"pending"}', '')).not.toBe(resultKey(false, '', '{"status":"done"}', ''));
  });

  it('falls back to the mapping\'s hash, or nothing, when no result was captured', () => {
    expect(resultKey(false, '', '', 'h1')).toBe('h1');
    expect(resultKey(false, '', '', '')).toBe('');
  });
});
