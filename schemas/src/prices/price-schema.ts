import { z } from 'zod';

/**
 * zod schemas of the model price table (DESIGN.md §3 `model_prices`, §5 Cost). Every price is in
 * US dollars per one million tokens. The built-in table (`model-prices.ts`) is validated with
 * these at load; user override files reuse the entry fields.
 */

/** A price in USD per 1M tokens: finite (zod 4 numbers refuse Infinity and NaN) and non-negative. */
export const usdPerMillionTokens = z.number().nonnegative();

/** A `YYYY-MM-DD` day (read as UTC midnight) or an ISO 8601 date-time with an offset. */
export const priceDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Whether `source` compiles as a JavaScript regular expression. */
export function isValidPattern(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * A regular expression over the NORMALISED model name (lowercase; provider prefixes, date and
 * Bedrock version suffixes, `-latest` stripped — see the collector's `normaliseModelName`).
 */
export const modelPattern = z
  .string()
  .min(1)
  .refine(isValidPattern, { message: 'match must be a valid regular expression' });

/**
 * Which Bedrock endpoint an entry prices: `regional` (in-Region and geographic cross-Region
 * profiles such as `us.`/`eu.`) or `global` (the `global.` profile). Absent: any endpoint.
 */
export const priceEndpoint = z.enum(['regional', 'global']);

/** The price fields an entry carries, USD per 1M tokens. */
export const priceFields = {
  /** Uncached input tokens. */
  input: usdPerMillionTokens,
  /** Output tokens that are not reasoning tokens. */
  output: usdPerMillionTokens,
  /** Input tokens read from the provider's prompt cache. */
  cache_read: usdPerMillionTokens,
  /** Input tokens written to the prompt cache (the default, shortest cache lifetime). */
  cache_write: usdPerMillionTokens,
  /** Reasoning ("thinking") tokens; every listed provider bills them as output. */
  reasoning: usdPerMillionTokens,
};

/** One priced model (or model family) from one provider, in force from `valid_from`. */
export const modelPriceEntrySchema = z.strictObject({
  /** Who bills the call, as a `gen_ai.provider.name` value: openai, anthropic, gcp.gemini, aws.bedrock… */
  provider: z.string().min(1),
  match: modelPattern,
  endpoint: priceEndpoint.optional(),
  /** Breaks ties between overlapping patterns: higher wins before the longer pattern does. Default 0. */
  priority: z.number().int().optional(),
  valid_from: priceDate,
  ...priceFields,
  /** Normalised names this entry must price: the table's tests check every one resolves to it. */
  examples: z.array(z.string().min(1)).min(1),
  /** Why a figure or date is what it is, when the provider's page alone does not say. */
  note: z.string().min(1).optional(),
});

/** The dated price table: per-provider sources plus the entries. */
export const modelPriceTableSchema = z
  .strictObject({
    /** When the figures were last checked against the providers' pages. */
    updated: z.iso.date(),
    currency: z.literal('USD'),
    unit: z.literal('per_1m_tokens'),
    /** Each provider's published pricing page, by URL. */
    providers: z.record(z.string().min(1), z.strictObject({ source: z.url() })),
    entries: z.array(modelPriceEntrySchema).min(1),
  })
  .superRefine((table, ctx) => {
    table.entries.forEach((entry, index) => {
      if (!(entry.provider in table.providers)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entries', index, 'provider'],
          message: `provider "${entry.provider}" of entry ${entry.match} has no source in providers`,
        });
      }
      if (Date.parse(entry.valid_from) > Date.parse(`${table.updated}T23:59:59Z`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entries', index, 'valid_from'],
          message: `entry ${entry.match} is valid from ${entry.valid_from}, after the table's updated date`,
        });
      }
    });
  });

/** One entry as written in the data files (before validation). */
export type ModelPriceEntryInput = z.input<typeof modelPriceEntrySchema>;
/** One validated entry. */
export type ModelPriceEntry = z.output<typeof modelPriceEntrySchema>;
/** The validated table. */
export type ModelPriceTable = z.output<typeof modelPriceTableSchema>;
