import type { FileHandle } from 'node:fs/promises';

/**
 * Writes every buffer in order with vectored writes, without first copying them into one. A
 * writev may write less than asked (a signal, a nearly full disk); the rest is written again.
 */
export async function writeAll(handle: FileHandle, parts: readonly Buffer[]): Promise<void> {
  let pending = parts.filter((p) => p.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending);
    const rest: Buffer[] = [];
    for (const part of pending) {
      if (bytesWritten >= part.length) bytesWritten -= part.length;
      else {
        rest.push(part.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}
