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
  if (words.some((w) => w.toUpperCase() === 'SETTINGS')) {
    return { ok: false, reason: 'a SETTINGS clause is not allowed: the endpoint sets read-only mode and limits itself' };
  }
  return { ok: true, statement: text.trim(), keyword };
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
