/** Minimal logger port (pino's shape). */
export interface AlertLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Logs a warning per message at most once per `everyMs`, with how many were held back since the last one. */
export type LimitedWarn = (msg: string, fields: object) => void;

/**
 * A warning that may repeat per alert (a full queue, a failing webhook) is logged when first seen
 * and then at most once per `everyMs` per message, so a broken receiver cannot flood the log.
 */
export function createWarnLimiter(log: AlertLogger, now: () => number, everyMs = 60_000): LimitedWarn {
  const last = new Map<string, { at: number; held: number }>();
  return function warnLimited(msg, fields) {
    const seen = last.get(msg);
    const t = now();
    if (seen && t - seen.at < everyMs) {
      seen.held++;
      return;
    }
    log.warn({ ...fields, ...(seen && seen.held > 0 ? { heldBack: seen.held } : {}) }, msg);
    last.set(msg, { at: t, held: 0 });
  };
}
