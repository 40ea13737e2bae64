import { describe, expect, it } from 'vitest';
import { checkReadOnly } from './read-only-sql.js';

describe('checkReadOnly', () => {
  it.each([
    ['SELECT 1', 'SELECT'],
    ['  with x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['-- a comment\nSELECT 1;', 'SELECT'],
    ['/* lead */ show tables from agentflow', 'SHOW'],
    ['DESCRIBE TABLE agentflow.otel_traces', 'DESCRIBE'],
    ['EXPLAIN SELECT 1', 'EXPLAIN'],
    ["SELECT 'a;b', 'it''s', 'back\\'slash' -- ; DROP", 'SELECT'],
    ['(SELECT 1) UNION ALL (SELECT 2)', 'SELECT'],
  ])('accepts %j as %s', (query, keyword) => {
    expect(checkReadOnly(query)).toMatchObject({ ok: true, keyword });
  });

  it('strips a trailing semicolon from the statement it returns', () => {
    expect(checkReadOnly('SELECT 1;  ')).toEqual({ ok: true, statement: 'SELECT 1', keyword: 'SELECT' });
  });

  it.each([
    ['INSERT INTO agentflow.otel_traces VALUES (1)', /read-only statements.*got INSERT/],
    ['DROP TABLE agentflow.otel_traces', /got DROP/],
    ['SET readonly = 0', /got SET/],
    ['SELECT 1; DROP TABLE agentflow.otel_traces', /one statement/],
    ["SELECT 1 /* ; */; SELECT ';'", /one statement/],
    ['', /empty/],
    ['  -- only a comment', /empty/],
    ['SELECT * FROM (SELECT 1 SETTINGS readonly = 0)', /SETTINGS clause is not allowed/],
  ])('refuses %j', (query, reason) => {
    const result = checkReadOnly(query);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('does not treat keywords inside quotes as statements or settings', () => {
    expect(checkReadOnly("SELECT 'SETTINGS readonly=0; DROP TABLE x' AS s")).toMatchObject({ ok: true });
    expect(checkReadOnly('SELECT `settings` FROM t')).toMatchObject({ ok: true });
  });
});

describe('INTO OUTFILE and table functions', () => {
  it('refuses INTO OUTFILE in any statement kind', () => {
    expect(checkReadOnly("EXPLAIN SYNTAX SELECT 1 INTO OUTFILE '/tmp/x'")).toMatchObject({ ok: false, reason: expect.stringMatching(/INTO OUTFILE/) });
  });

  it('finds table functions in the EXPLAIN AST of a statement, allowing pure generators', async () => {
    const { findTableFunctions } = await import('./read-only-sql.js');
    const ast = [
      'DescribeQuery (children 1)',
      ' TableExpression (children 1)',
      '  Function file (children 1)',
      '   ExpressionList (children 2)',
      '     TableExpression (children 1)',
      '      Function numbers (alias n) (children 1)',
      '     TableExpression (children 1)',
      '      Function url (alias u) (children 1)',
      '    Function count (children 1)',
    ].join('\n');
    expect(findTableFunctions(ast)).toEqual(['file', 'url']);
  });
});
