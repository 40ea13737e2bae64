import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAll, writeAllSync } from './write-all.js';

/** Where the embedded engine's insert files go: one directory per process. */
export interface Spool {
  dir: string;
  /** On tmpfs: a write is a memory copy. */
  inMemory: boolean;
}

const PREFIX = 'agentflow-';

/**
 * Creates this process's spool directory in tmpfs when the machine has one (no disk writes for
 * transient batch files), else in the temporary directory. Directories left by processes that
 * no longer run (killed before they could remove theirs) are removed first.
 */
export function openSpool(candidates: readonly string[] = ['/dev/shm', tmpdir()]): Spool {
  for (const base of candidates) {
    try {
      if (!existsSync(base)) continue;
      removeStaleSpools(base);
      const dir = join(base, `${PREFIX}${process.pid}`);
      mkdirSync(dir, { recursive: true });
      const probe = join(dir, '.probe');
      writeFileSync(probe, '');
      rmSync(probe);
      return { dir, inMemory: base === '/dev/shm' };
    } catch {
      // not writable here: try the next candidate
    }
  }
  throw new Error('no writable temporary directory for insert batches');
}

function removeStaleSpools(base: string): void {
  for (const name of readdirSync(base)) {
    const pid = /^agentflow-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isRunning(Number(pid))) {
      rmSync(join(base, name), { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes an insert's blocks to `file`. In memory (tmpfs) the write is a copy of a few MB, done on
 * the calling thread: through the thread pool it queued behind write-ahead-log syncs and engine
 * statements, which held raw inserts ~170 ms per batch under load.
 */
export async function writeSpoolFile(file: string, parts: readonly Buffer[], inMemory: boolean): Promise<void> {
  if (inMemory) {
    const fd = openSync(file, 'w');
    try {
      writeAllSync(fd, parts);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const handle = await open(file, 'w');
  try {
    await writeAll(handle, parts);
  } finally {
    await handle.close();
  }
}
