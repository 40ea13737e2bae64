import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Code that writes attributes outside the mapping: the Agents SDK export decoder. */
const WRITERS = [join(HERE, '../receiver/openai-traces')];
/** Attribute families whose keys must come from `@agentflow/schemas` constants (STYLE.md). */
const FORBIDDEN = /^(gen_ai|agentflow|llm|ai|openinference|traceloop|mastra|openai\.agents)\./;

/** The contents of every string literal (quotes and template text) in TypeScript source, comments skipped. */
function stringLiterals(source: string): string[] {
  const out: string[] = [];
  // Each entry is the quote of an open string, or '}' for code inside a template's `${…}`.
  const stack: string[] = [];
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const top = stack.at(-1);
    const inString = top === "'" || top === '"' || top === '`';
    if (!inString) {
      if (c === '/' && source[i + 1] === '/') i = source.indexOf('\n', i) === -1 ? source.length : source.indexOf('\n', i);
      else if (c === '/' && source[i + 1] === '*') i = source.indexOf('*/', i + 2) + 1 || source.length;
      else if (c === "'" || c === '"' || c === '`') {
        stack.push(c);
        current = '';
      } else if (c === '{' && top === '}') stack.push('}');
      else if (c === '}' && top === '}') {
        stack.pop();
        current = '';
      }
      continue;
    }
    if (c === '\\') {
      current += source[++i] ?? '';
    } else if (c === top) {
      out.push(current);
      stack.pop();
    } else if (top === '`' && c === '$' && source[i + 1] === '{') {
      out.push(current);
      stack.push('}');
      i++;
    } else {
      current += c;
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.startsWith('test-') ? [path] : [];
  });
}

describe('mapping sources', () => {
  it('finds string literals and skips comments', () => {
    expect(stringLiterals("// 'x.'\nconst a = 'gen_ai.x'; /* \"y\" */ const b = `ai.${c}z`;")).toEqual(['gen_ai.x', 'ai.', 'z']);
  });

  it('spell attribute keys only through schemas constants', () => {
    const offending = [HERE, ...WRITERS].flatMap(sourceFiles).flatMap((file) =>
      stringLiterals(readFileSync(file, 'utf8'))
        .filter((literal) => FORBIDDEN.test(literal))
        .map((literal) => `${relative(HERE, file)}: '${literal}'`),
    );
    expect(offending).toEqual([]);
  });
});
