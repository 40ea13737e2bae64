import { describe, expect, it } from 'vitest';
import { mermaidLabel } from './mermaid-text.js';

describe('mermaidLabel', () => {
  it('writes quotes, brackets and statement characters as entity codes', () => {
    expect(mermaidLabel('say "hi" [now]; #1 (a|b) {x} <b> 100% & `c`')).toBe(
      'say #quot;hi#quot; #91;now#93;#59; #35;1 #40;a#124;b#41; #123;x#125; #lt;b#gt; 100#37; #amp; #96;c#96;',
    );
  });

  it('flattens line breaks unless the label may span lines', () => {
    expect(mermaidLabel('line one\nline two\r\n  three')).toBe('line one line two three');
    expect(mermaidLabel('line one\nline "two"', { multiline: true })).toBe('line one<br/>line #quot;two#quot;');
  });

  it('cuts long text with an ellipsis', () => {
    expect(mermaidLabel('x'.repeat(100), { max: 10 })).toBe(`${'x'.repeat(9)}…`);
  });

  it('leaves plain names alone', () => {
    expect(mermaidLabel('Billing Agent: lookup_invoice')).toBe('Billing Agent: lookup_invoice');
  });
});
