import { describe, expect, it } from 'vitest';
import { findSpanIdOffsets } from './otlp-wire.js';
import { buildBatchTemplates, stampBatch } from './span-batches.js';

const hexAt = (bytes: Buffer, offset: number, length: number): string => bytes.toString('hex', offset, offset + length);

describe('buildBatchTemplates', () => {
  const templates = buildBatchTemplates({ spansPerBatch: 512, templateCount: 2, seed: 7 });

  it('encodes the requested number of spans at about 1.2 KB each', () => {
    for (const template of templates) {
      expect(template.spanCount).toBe(512);
      expect(findSpanIdOffsets(template.bytes).spanIds).toHaveLength(512);
      const perSpan = template.bytes.length / template.spanCount;
      expect(perSpan).toBeGreaterThan(1_000);
      expect(perSpan).toBeLessThan(1_400);
    }
  });

  it('stamps ids unique across requests and keeps parent links inside the batch', () => {
    const template = templates[0]!;
    const target = Buffer.alloc(template.bytes.length);
    const seen = new Set<string>();
    for (let requestId = 1; requestId <= 50; requestId++) {
      const body = stampBatch(template, target, requestId);
      const { traceIds, spanIds, parentSpanIds } = template.offsets;
      const batchSpanIds = new Set(spanIds.map((offset) => hexAt(body, offset, 8)));
      for (let i = 0; i < spanIds.length; i++) {
        seen.add(hexAt(body, traceIds[i]!, 16) + hexAt(body, spanIds[i]!, 8));
      }
      for (const offset of parentSpanIds) expect(batchSpanIds.has(hexAt(body, offset, 8))).toBe(true);
    }
    expect(seen.size).toBe(50 * 512);
  });

  it('leaves the template unchanged', () => {
    const template = templates[1]!;
    const before = Buffer.from(template.bytes);
    stampBatch(template, Buffer.alloc(template.bytes.length), 99);
    expect(template.bytes.equals(before)).toBe(true);
  });
});

describe('findSpanIdOffsets', () => {
  it('rejects a truncated request', () => {
    const bytes = buildBatchTemplates({ spansPerBatch: 4, templateCount: 1 })[0]!.bytes;
    expect(() => findSpanIdOffsets(bytes.subarray(0, bytes.length - 3))).toThrow(RangeError);
  });
});
