/**
 * The assembly thread: reads stored exports again, maps their spans, buffers traces until they
 * settle and derives agent records, off the thread that answers exports. Its rows go back to the
 * main thread already encoded, as Native blocks, for the collector's one writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MODEL_PRICES, type SpanRow } from '@agentflow/schemas';
import type { WriteOutcome } from '../../errors.js';
import { createPriceBook, createSpanCostResolver } from '../../cost/index.js';
import { toCanonicalSpan } from '../../mapping/index.js';
import { SPAN_DECODERS } from '../../receiver/decoders.js';
import { AGENT_SINKS } from '../../storage/sinks.js';
import type { RowSink } from '../../storage/batch-writer.js';
import { encodeNativeBlock } from '../../storage/native-block.js';
import { Assembler } from '../assembler.js';
import { createVersionClock } from '../../storage/version-clock.js';
// This file wires the thread, as main.ts wires the process: the processor's live detection runs here, beside the buffer it watches.
import { costRateOf, createSettingsFor, LiveDetector, qualityOf, StartedAgents, type DetectionFile } from '../../processing/detect/index.js';
import { ownedBuffer, PortRpc } from './port-rpc.js';
import { KIND, type AssemblyWorkerData, type ExportMessage, type LoadMessage, type LogMessage, type StartsMessage, type WriteMessage } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('assembly-worker runs as a worker thread');
const { config, priceOverrides, detection } = workerData as AssemblyWorkerData;
const costOf = createSpanCostResolver(createPriceBook(MODEL_PRICES.entries, priceOverrides));
const quality = qualityOf(detection.file as DetectionFile | undefined);

const log = (level: LogMessage['level']) => (fields: object, message: string) => {
  const err = (fields as { err?: unknown }).err;
  // Errors lose their message through structured cloning of plain fields: send what matters.
  const safe: Record<string, unknown> = err instanceof Error ? { ...fields, err: { message: err.message, stack: err.stack } } : { ...fields };
  rpc.notify(KIND.LOG, { level, fields: safe, message } satisfies LogMessage);
};

const startedAgents = new StartedAgents();
const detector = new LiveDetector(
  {
    costOf,
    quality,
    started: (tenantId, spanId) => startedAgents.get(tenantId, spanId),
    settingsFor: createSettingsFor(detection.file as DetectionFile | undefined),
    costRate: costRateOf(detection.file as DetectionFile | undefined),
    emit: (found) => rpc.notify(KIND.DETECTED, found),
    nextVersion: createVersionClock(Date.now),
    log: { error: log('error') },
  },
  detection.tickMs,
);

const assembler = new Assembler(
  {
    writer: {
      write<Row>(sink: RowSink<Row>, rows: readonly Row[]): Promise<WriteOutcome> {
        if (rows.length === 0) return Promise.resolve({ status: 'committed' });
        const payload = new Uint8Array(ownedBuffer(encodeNativeBlock(sink.columns, rows)));
        return rpc.call<WriteOutcome>(KIND.WRITE, { sinkId: sink.id, rows: rows.length, payload } satisfies WriteMessage, [payload.buffer as ArrayBuffer]);
      },
    },
    sinks: AGENT_SINKS,
    loadSpans: (tenantId, traceIds) => rpc.call<SpanRow[]>(KIND.LOAD, { tenantId, traceIds: [...traceIds] } satisfies LoadMessage),
    toCanonical: toCanonicalSpan,
    costOf,
    quality,
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    observer: detector,
    started: (tenantId, spanId) => startedAgents.get(tenantId, spanId),
  },
  config,
);

const rpc = new PortRpc(
  port,
  {
    [KIND.EXPORT]: (message: ExportMessage) => {
      inbox.push(message);
      scheduleNext();
    },
    // Exports sent before these calls are buffered first: their senders expect them included.
    [KIND.SETTLE]: () => {
      takeAll();
      return assembler.settleAll();
    },
    [KIND.STATS]: () => assembler.stats(),
    [KIND.STARTS]: ({ starts }: StartsMessage) => startedAgents.add(starts),
    [KIND.STOP]: async () => {
      takeAll();
      await assembler.stop();
      detector.stop();
    },
  },
  (err) => log('error')({ err }, 'assembly thread could not take an export'),
);
assembler.start();
detector.start();

/**
 * Exports waiting to be buffered. A message handler only queues: Node delivers up to 1,000 queued
 * messages in one go, so buffering inside the handler let a busy thread go seconds without
 * deriving anything. Taken one per turn of the event loop, exports interleave with derivation
 * slices. Bounded by the main thread, which stops handing exports over while too many bytes wait.
 */
const inbox: ExportMessage[] = [];
let scheduled = false;

function scheduleNext(): void {
  if (scheduled || inbox.length === 0) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    // takeAll may have emptied the inbox since.
    if (inbox.length > 0) takeNext();
    scheduleNext();
  });
}

function takeNext(): void {
  const { format, tenantId, body } = inbox[0] as ExportMessage;
  try {
    // The receiver decoded this very body before storing it, so it decodes the same way here.
    const { rows } = SPAN_DECODERS[format](body, tenantId);
    assembler.add(rows.map(toCanonicalSpan));
  } catch (err) {
    log('error')({ err, tenantId }, 'a stored export could not be assembled; run agentflow rebuild to derive it');
  } finally {
    inbox.shift();
    rpc.notify(KIND.CONSUMED, { bytes: body.byteLength });
  }
}

function takeAll(): void {
  while (inbox.length > 0) takeNext();
}
