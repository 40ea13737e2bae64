import { writevSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * Writes every buffer in order with vectored writes, without first copying them into one. A
 * writev may write less than asked (a signal, a nearly full disk); the rest is written again.
 */
export async function writeAll(handle: FileHandle, parts: readonly Buffer[]): Promise<void> {
  let pending = parts.filter((p) => p.length > 0);
  while (pending.length > 0) pending = unwritten(pending, (await handle.writev(pending)).bytesWritten);
}

/** {@link writeAll} on the calling thread, for files in memory (tmpfs) where a write is a copy. */
export function writeAllSync(fd: number, parts: readonly Buffer[]): void {
  let pending = parts.filter((p) => p.length > 0);
  while (pending.length > 0) pending = unwritten(pending, writevSync(fd, pending));
}

/** What is left of `parts` after the first `bytesWritten` bytes went out. */
function unwritten(parts: readonly Buffer[], bytesWritten: number): Buffer[] {
  const rest: Buffer[] = [];
  let written = bytesWritten;
  for (const part of parts) {
    if (written >= part.length) written -= part.length;
    else {
      rest.push(part.subarray(written));
      written = 0;
    }
  }
  return rest;
}
