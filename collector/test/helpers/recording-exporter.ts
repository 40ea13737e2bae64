import type { ExportResult } from '@opentelemetry/core';

/** The shape span and log record exporters share. */
interface ItemExporter<T> {
  export(items: T[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** An exporter that passes everything on and remembers what it exported and each export's result code. */
export class RecordingExporter<T> implements ItemExporter<T> {
  readonly items: T[] = [];
  readonly resultCodes: number[] = [];

  constructor(private readonly inner: ItemExporter<T>) {}

  export(items: T[], done: (result: ExportResult) => void): void {
    this.items.push(...items);
    this.inner.export(items, (result) => {
      this.resultCodes.push(result.code);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
