import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
/** Attribute families whose keys come only from `@agentflow/schemas` constants (STYLE.md). */
const FORBIDDEN = /^(gen_ai|agentflow)\./;

/** Contents of the string literals and template texts of TypeScript source; comments are skipped. */
function literals(source: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') {
      const eol = source.indexOf('\n', i);
      i = eol === -1 ? source.length : eol;
    } else if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close === -1 ? source.length : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let text = '';
      i++;
      while (i < source.length && source[i] !== c) {
        if (source[i] === '\\') i++;
        else if (c === '`' && source[i] === '$' && source[i + 1] === '{') {
          // Template holes hold code, not text: each text run counts as its own literal.
          found.push(text);
          text = '';
          i = source.indexOf('}', i);
        } else text += source[i];
        i++;
      }
      found.push(text);
      i++;
    } else i++;
  }
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('instrumentation sources', () => {
  it('finds literals and skips comments', () => {
    expect(literals("// 'gen_ai.x'\nconst a = 'agentflow.y'; /* \"z\" */ const b = `t ${c} u`;")).toEqual(['agentflow.y', 't ', ' u']);
  });

  it('spell attribute keys only through schemas constants', () => {
    const offending = sources(SRC).flatMap((file) =>
      literals(readFileSync(file, 'utf8')).filter((l) => FORBIDDEN.test(l)).map((l) => `${relative(SRC, file)}: '${l}'`),
    );
    expect(offending).toEqual([]);
  });
});
