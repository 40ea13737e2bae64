/** Statement kinds the SQL endpoint runs: all of them only read. */
const READ_ONLY_KEYWORDS = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'EXISTS']);

/** Outcome of checking a query: the single statement to run, or why it is refused. */
export type ReadOnlyCheck =
  | { ok: true; statement: string; keyword: string }
  | { ok: false; reason: string };

/**
 * Accepts exactly one read-only statement without a `SETTINGS` clause of its own.
 *
 * The endpoint runs each query with `readonly=1` and resource limits in its own `SETTINGS`
 * clause, but a subquery's `SETTINGS readonly=0` overrides the outer one (seen on ClickHouse
 * 26.7), so user-supplied settings are refused outright. A second statement is refused because the
 * embedded engine executes `;`-separated statements in sequence. Comments and quoted text are
 * skipped while scanning, so neither a `;` nor a keyword inside them counts.
 */
export function checkReadOnly(query: string): ReadOnlyCheck {
  const statements = scan(query).filter((s) => s.words.length > 0);
  if (statements.length === 0) return { ok: false, reason: 'the query is empty' };
  if (statements.length > 1) return { ok: false, reason: 'only one statement per request is allowed' };
  const { text, words } = statements[0] as Statement;
  const keyword = (words[0] as string).toUpperCase();
  if (!READ_ONLY_KEYWORDS.has(keyword)) {
    return { ok: false, reason: `only read-only statements are allowed (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, EXISTS), got ${keyword}` };
  }
  const upper = words.map((w) => w.toUpperCase());
  if (upper.includes('SETTINGS')) {
    return { ok: false, reason: 'a SETTINGS clause is not allowed: the endpoint sets read-only mode and limits itself' };
  }
  // Non-SELECT statements cannot be wrapped in a read-only SELECT, and chDB writes OUTFILEs itself.
  if (upper.some((w, i) => w === 'INTO' && upper[i + 1] === 'OUTFILE')) {
    return { ok: false, reason: 'INTO OUTFILE is not allowed: results are returned in the response' };
  }
  return { ok: true, statement: text.trim(), keyword };
}

/** Table functions that only compute (no files, network, other tables' rows): safe to allow. */
const PURE_TABLE_FUNCTIONS = new Set(['numbers', 'numbers_mt', 'zeros', 'zeros_mt', 'generate_series', 'generateSeries', 'values', 'view']);

/**
 * Names of the table functions other than pure generators in a statement, from its
 * `EXPLAIN AST` text (ClickHouse parses its own SQL; a function right under a `TableExpression`
 * is a table function). `file()`, `url()`, `remote()`, `merge()` and the like read data outside
 * the statement's visible tables, and DESCRIBE/EXPLAIN infer their schema even in read-only mode.
 */
export function findTableFunctions(ast: string): string[] {
  // One AST line per row; the embedded engine may quote rows (its default output is CSV).
  const lines = ast.split('\n').map((l) => l.replace(/^"(.*)"$/, '$1'));
  const found: string[] = [];
  lines.forEach((line, i) => {
    if (!line.trimStart().startsWith('TableExpression')) return;
    const m = /^\s*Function (\S+)/.exec(lines[i + 1] ?? '');
    if (m && !PURE_TABLE_FUNCTIONS.has(m[1] as string)) found.push(m[1] as string);
  });
  return found;
}

interface Statement {
  text: string;
  /** Bare words outside quotes and comments, in order. */
  words: string[];
}

/** Splits at top-level `;` and collects each statement's bare words. */
function scan(sql: string): Statement[] {
  const out: Statement[] = [];
  let current: Statement = { text: '', words: [] };
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === "'" || c === '"' || c === '`') i = skipQuoted(sql, i, c);
    else if ((c === '-' && next === '-') || c === '#') i = skipTo(sql, '\n', i);
    else if (c === '/' && next === '*') i = skipTo(sql, '*/', i + 2);
    else if (c === ';') {
      current.text = sql.slice(start, i);
      out.push(current);
      current = { text: '', words: [] };
      start = ++i;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 256)) as RegExpExecArray;
      current.words.push(word[0]);
      i += word[0].length;
    } else i++;
  }
  current.text = sql.slice(start);
  out.push(current);
  return out;
}

function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (c === '\\') j += 2;
    else if (c === quote && sql[j + 1] === quote) j += 2; // a doubled quote is an escaped quote
    else if (c === quote) return j + 1;
    else j++;
  }
  return j;
}

function skipTo(sql: string, terminator: string, from: number): number {
  const end = sql.indexOf(terminator, from);
  return end === -1 ? sql.length : end + terminator.length;
}
