/**
 * What a decoder returns: the rows it could build, and how many items (spans or log records) it
 * rejected, with the first few reasons.
 */
export interface DecodeResult<T> {
  rows: T[];
  /** Spans or log records dropped for breaking a rule (bad ids, end before start, …). */
  rejected: number;
  /**
   * The first few reasons, human readable, e.g.
   * `span 3 of scope 'x': trace_id must be 16 bytes, got 15`. At most {@link MAX_REPORTED_ERRORS}.
   */
  errors: string[];
}

/** How many rejection reasons a result carries: enough to diagnose, bounded for a huge bad batch. */
export const MAX_REPORTED_ERRORS = 5;

/** Collects rows and rejections while a body is decoded. */
export class ResultBuilder<T> {
  readonly rows: T[] = [];
  private rejected = 0;
  private readonly errors: string[] = [];

  /** Counts one rejected item; `describe` is only called while reasons are still being kept. */
  reject(describe: () => string): void {
    this.rejected++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(describe());
  }

  result(): DecodeResult<T> {
    return { rows: this.rows, rejected: this.rejected, errors: this.errors };
  }
}
