import type { Detected } from '@agentflow/schemas';
import type { AssemblyConfig } from '../assembler.js';
import type { PriceOverrideEntry } from '../../cost/index.js';
import type { ExportFormat } from '../../receiver/decoders.js';

/** What the assembly thread starts from. */
export interface AssemblyWorkerData {
  config: AssemblyConfig;
  priceOverrides: PriceOverrideEntry[];
  /** Live detection on the thread: how often changed traces are looked at, and the parsed detection file (plain data). */
  detection: { tickMs: number; file: unknown };
}

/** Main → assembly thread, notification: agents that started (from their start records), so running sessions are named. */
export interface StartsMessage {
  starts: { tenantId: string; spanId: string; agentId: string; agentName: string; agentType: string; goal: string; workflowName: string; conversationId: string }[];
}

/** Assembly thread → main, notification: anomalies found or changed, and running sessions' figures. */
export type DetectedMessage = Detected;

/** Main → assembly thread, notification: a stored export to assemble (its body is transferred). */
export interface ExportMessage {
  format: ExportFormat;
  tenantId: string;
  body: Uint8Array;
}

/** Assembly thread → main, call: rows of one derived table, encoded as one Native block; answered with the WriteOutcome. */
export interface WriteMessage {
  sinkId: number;
  rows: number;
  payload: Uint8Array;
}

/** Assembly thread → main, call: the stored spans of settled traces that got late spans; answered with SpanRow[]. */
export interface LoadMessage {
  tenantId: string;
  traceIds: string[];
}

/** Assembly thread → main, notification: a log line for the collector's logger. */
export interface LogMessage {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** Assembly thread → main, notification: an export's body was read and its spans buffered. */
export interface ConsumedMessage {
  bytes: number;
}

/** Message kinds, one name for both sides. */
export const KIND = {
  EXPORT: 'export',
  SETTLE: 'settle',
  STOP: 'stop',
  STATS: 'stats',
  WRITE: 'write',
  LOAD: 'load',
  LOG: 'log',
  CONSUMED: 'consumed',
  DETECTED: 'detected',
  STARTS: 'starts',
} as const;
