import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { MIGRATIONS_DIR } from '@agentflow/schemas';
import { loadMigrations, migrate, openStorage } from '../../storage/index.js';

it('scratch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stuck-'));
  const s = openStorage({ kind: 'embedded', dataDir: dir });
  await migrate(s.client, loadMigrations(MIGRATIONS_DIR));
  await s.client.insert({ table: 'agentflow.otel_logs', format: 'JSONEachRow', values: [
    { TenantId: 't', Timestamp: '2026-01-01 10:00:00.123456789', TraceId: 'aa', SpanId: 'bb', EventName: 'x.start', LogAttributes: { 'k.op': 'invoke_agent' }, ResourceAttributes: { 'service.instance.id': 'i1' } },
  ] });
  const rs = await s.client.query({ query: `SELECT TenantId, LogAttributes[{k:String}] AS op, toUnixTimestamp64Milli(Timestamp) AS ms, Timestamp >= {now:DateTime64(3)} - toIntervalMillisecond({w:UInt64}) AS rec FROM agentflow.otel_logs WHERE op IN {ops:Array(String)}`,
    format: 'JSONEachRow', query_params: { k: 'k.op', ops: ['invoke_agent'], now: new Date(Date.parse('2026-01-01T10:01:00Z')), w: 60000 } });
  console.log(await rs.json());
  const rs2 = await s.client.query({ query: `SELECT {now:DateTime64(3)} AS n, toUnixTimestamp64Milli({now:DateTime64(3)}) AS m, fromUnixTimestamp64Milli({ms:Int64}) AS f`, format: 'JSONEachRow', query_params: { now: 1767261660000 / 1000, ms: 1767261660000 } });
  console.log(await rs2.json());
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});
