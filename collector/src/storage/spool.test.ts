import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSpool, writeSpoolFile } from './spool.js';

let base: string;
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

describe('openSpool', () => {
  it("creates this process's directory and removes those of processes that no longer run", () => {
    base = mkdtempSync(join(tmpdir(), 'agentflow-spool-test-'));
    const stale = join(base, `agentflow-${deadPid()}`);
    mkdirSync(stale);
    writeFileSync(join(stale, 'insert-left-by-a-kill.native'), 'x');
    const alive = join(base, `agentflow-${process.ppid}`);
    mkdirSync(alive);
    const other = join(base, 'agentflow-notes');
    mkdirSync(other);

    const spool = openSpool([base]);
    expect(spool).toEqual({ dir: join(base, `agentflow-${process.pid}`), inMemory: false });
    expect([existsSync(spool.dir), existsSync(stale), existsSync(alive), existsSync(other)]).toEqual([true, false, true, true]);
  });

  it('writes every part of an insert, on the calling thread or through the thread pool', async () => {
    base = mkdtempSync(join(tmpdir(), 'agentflow-spool-test-'));
    const parts = [Buffer.from('ab'), Buffer.alloc(0), Buffer.from('cde')];
    await writeSpoolFile(join(base, 'sync'), parts, true);
    await writeSpoolFile(join(base, 'async'), parts, false);
    expect([readFileSync(join(base, 'sync'), 'utf8'), readFileSync(join(base, 'async'), 'utf8')]).toEqual(['abcde', 'abcde']);
  });
});
