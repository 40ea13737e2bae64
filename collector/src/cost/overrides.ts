import { readFile } from 'node:fs/promises';
import { modelPattern, priceDate, priceEndpoint, usdPerMillionTokens } from '@agentflow/schemas';
import { z } from 'zod';
import type { PriceOverrideEntry } from './price-book.js';

/**
 * One override entry of a user price file. Only `match`, `input` and `output` are required:
 * `tenant` and `provider` default to '*' (every tenant, any provider), `valid_from` to the epoch,
 * `cache_read` and `cache_write` to `input`, `reasoning` to `output`. Unknown keys are refused, so
 * a misspelt price never goes unnoticed.
 */
const overrideEntrySchema = z
  .strictObject({
    tenant: z.string().min(1).default('*'),
    provider: z.string().min(1).default('*'),
    match: modelPattern,
    endpoint: priceEndpoint.optional(),
    priority: z.number().int().optional(),
    valid_from: priceDate.default('1970-01-01'),
    input: usdPerMillionTokens,
    output: usdPerMillionTokens,
    cache_read: usdPerMillionTokens.optional(),
    cache_write: usdPerMillionTokens.optional(),
    reasoning: usdPerMillionTokens.optional(),
    note: z.string().optional(),
  })
  .transform(
    (entry): PriceOverrideEntry => ({
      tenant: entry.tenant,
      provider: entry.provider,
      match: entry.match,
      endpoint: entry.endpoint,
      priority: entry.priority,
      valid_from: entry.valid_from,
      input: entry.input,
      output: entry.output,
      cache_read: entry.cache_read ?? entry.input,
      cache_write: entry.cache_write ?? entry.input,
      reasoning: entry.reasoning ?? entry.output,
    }),
  );

/**
 * The price override file: `{ "overrides": [ { "tenant": "acme", "provider": "openai",
 * "match": "^gpt-4o$", "input": 2, "output": 8 }, … ] }`, prices in USD per 1M tokens over
 * normalised model names, as in the built-in table.
 */
export const priceOverrideFileSchema = z.strictObject({ overrides: z.array(overrideEntrySchema) });

/** A price file that cannot be used; the message names the file, the entry and the broken rule. */
export class PriceOverrideError extends Error {
  readonly code = 'AF_PRICE_OVERRIDES_INVALID';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PriceOverrideError';
  }
}

/**
 * Validates parsed JSON as a price override file. `source` names it in error messages. The error
 * lists every problem as `overrides[3] (match "^gpt-4o$") input: …`.
 */
export function parsePriceOverrides(
  value: unknown,
  source: string,
): { ok: true; overrides: PriceOverrideEntry[] } | { ok: false; error: string } {
  const parsed = priceOverrideFileSchema.safeParse(value);
  if (parsed.success) return { ok: true, overrides: parsed.data.overrides };
  const problems = parsed.error.issues.map((issue) => `${describePath(value, issue.path)}: ${issue.message}`);
  return { ok: false, error: `price overrides ${source} are invalid: ${problems.join('; ')}` };
}

/**
 * Reads and validates a price override file (JSON). Throws `PriceOverrideError` when the file
 * cannot be read, is not JSON, or breaks the schema: bad config fails at start, never later.
 */
export async function loadPriceOverrides(path: string): Promise<PriceOverrideEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new PriceOverrideError(`price overrides ${path} cannot be read`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new PriceOverrideError(`price overrides ${path} are not valid JSON`, { cause });
  }
  const parsed = parsePriceOverrides(value, path);
  if (!parsed.ok) throw new PriceOverrideError(parsed.error);
  return parsed.overrides;
}

/** `overrides[3] (match "^gpt-4o$") input`, or the plain path when it does not point into an entry. */
function describePath(value: unknown, path: readonly PropertyKey[]): string {
  const [root, index, ...rest] = path;
  if (root !== 'overrides' || typeof index !== 'number') return path.map(String).join('.') || '(file)';
  const entry = (value as { overrides?: unknown[] }).overrides?.[index];
  const match = typeof entry === 'object' && entry !== null ? (entry as { match?: unknown }).match : undefined;
  const name = typeof match === 'string' ? ` (match "${match}")` : '';
  const field = rest.length > 0 ? ` ${rest.map(String).join('.')}` : '';
  return `overrides[${index}]${name}${field}`;
}
