/**
 * Text inside Mermaid diagrams. Mermaid has no backslash escapes; it decodes entity codes
 * (`#quot;`, `#35;`, `#lt;`) in labels of every diagram type. Characters that could end a label,
 * start an entity or a statement (`"`, `#`, `;`), open or close a node shape (brackets, braces,
 * parentheses, `|`), or become HTML (`<`, `>`, `&`) are written as codes; `%` too, because `%%`
 * starts a comment. Line breaks become `<br/>` where a label may span lines, a space elsewhere.
 */

const CODES: Readonly<Record<string, string>> = {
  '"': '#quot;', '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;', '&': '#amp;', '%': '#37;',
  '[': '#91;', ']': '#93;', '(': '#40;', ')': '#41;', '{': '#123;', '}': '#125;', '|': '#124;', '`': '#96;',
};

/** Longest label text kept, in characters; longer text ends in an ellipsis. */
export const MAX_LABEL = 80;

/**
 * Escapes arbitrary text for a Mermaid label. `multiline` keeps line breaks as `<br/>` (flowchart
 * node labels); otherwise all whitespace runs collapse to one space (arrows, participants, states).
 */
export function mermaidLabel(text: string, options: { multiline?: boolean; max?: number } = {}): string {
  const max = options.max ?? MAX_LABEL;
  const lines = options.multiline ? text.split(/\r\n|\r|\n/) : [text];
  const flat = lines.map((l) => l.replace(/\s+/g, ' ').trim()).filter((l, i) => l !== '' || i === 0);
  const joined = flat.join('\n');
  const cut = [...joined].length > max ? `${[...joined].slice(0, max - 1).join('')}…` : joined;
  return cut
    .split('\n')
    .map((line) => line.replace(/["#;<>&%[\](){}|`]/g, (c) => CODES[c] as string))
    .join('<br/>');
}
