/**
 * The "next page" line of the paged list commands (`agentflow sessions`, `agentflow anomalies`):
 * the same command with the same options and the cursor of the next page, ready to paste.
 */
export function nextPageHint(command: string, options: readonly (readonly [flag: string, value: string | boolean | undefined])[], cursor: string): string {
  const words = options.flatMap(([flag, value]) => (value === undefined || value === false || value === '' ? []
    : value === true ? [`--${flag}`] : [`--${flag} ${shellWord(value)}`]));
  return `next page: agentflow ${command} ${[...words, `--cursor ${cursor}`].join(' ')}`;
}

/** A word quoted for a POSIX shell when it needs it, so the hint can be pasted back. */
function shellWord(word: string): string {
  return /^[\w.:@/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
