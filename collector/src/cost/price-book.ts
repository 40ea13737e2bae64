import type { ModelPriceEntry } from '@agentflow/schemas';
import type { BedrockEndpoint } from './model-name.js';

/** Prices of one model, USD per 1M tokens, with where they came from. */
export interface ModelPrice {
  provider: string;
  /** The entry's pattern over normalised model names. */
  match: string;
  /** Start of validity, ms since the Unix epoch. */
  validFromMs: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  /** `builtin` (the shipped table) or the tenant an override came from (`*` = every tenant). */
  origin: string;
}

/** A price override: an entry of a user file, for one tenant or (tenant '*') for all of them. */
export interface PriceOverrideEntry {
  /** The tenant it applies to, or '*' for every tenant. */
  tenant: string;
  /** As in the table; '*' matches calls of any provider as if it were theirs. */
  provider: string;
  match: string;
  endpoint?: BedrockEndpoint | undefined;
  priority?: number | undefined;
  valid_from: string;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  reasoning: number;
}

/** What is being priced: names already normalised (see `model-name.ts`). */
export interface PriceQuery {
  model: string;
  provider: string;
  /** The Bedrock endpoint the model id named, or null when it is not a Bedrock id. */
  endpoint: BedrockEndpoint | null;
  /** When the call happened, ms since the Unix epoch. */
  atMs: number;
  /** The tenant whose overrides apply; none when omitted. */
  tenantId?: string | undefined;
}

/** Looks up the price of a model at a point in time. */
export interface PriceBook {
  /** The price in force for the query, or null when no entry matches (an unknown model). */
  lookup(query: PriceQuery): ModelPrice | null;
}

interface Rule {
  price: ModelPrice;
  pattern: RegExp;
  endpoint: BedrockEndpoint | undefined;
  priority: number;
  /** 0 = this tenant's override, 1 = every tenant's override, 2 = built-in table. */
  tier: number;
}

/** Distinct (tenant, provider, endpoint, model) keys remembered; the cache is cleared when full. */
const MAX_CACHED_KEYS = 10_000;
/**
 * Longer names are no model's: they are unknown without running any pattern over them, which also
 * bounds the cache's memory and the time a user's override pattern can take on span input.
 */
const MAX_MODEL_LENGTH = 256;

/**
 * Builds a price book over the built-in table entries and optional overrides. Among the entries
 * whose `match` matches the normalised model name, whose `endpoint` (if set) equals the call's
 * Bedrock endpoint and whose `valid_from` is not after the call, the winner is, in order:
 * 1. an entry of the call's provider (or provider '*'), before any other provider's entry (so a
 *    Bedrock price beats the maker's list price, and a call through a gateway with no entries of
 *    its own falls back to the maker's price);
 * 2. the tenant's own override, then an override for every tenant, then the built-in table;
 * 3. the higher `priority` (default 0);
 * 4. the longer `match` text (the more specific pattern);
 * 5. the newest `valid_from`; then the earlier position in the input.
 * Invalid patterns throw here: the table and override files are validated before they get here.
 */
export function createPriceBook(
  entries: readonly ModelPriceEntry[],
  overrides: readonly PriceOverrideEntry[] = [],
): PriceBook {
  const builtin = entries.map((entry) => toRule(entry, 'builtin', 2));
  const custom = overrides.map((entry) => toRule(entry, entry.tenant, entry.tenant === '*' ? 1 : 0));
  const rules = [...custom, ...builtin];
  const ranked = new Map<string, Rule[]>();

  /** The rules that could price this query at some time, best first; cached per key. */
  const candidates = (query: PriceQuery): Rule[] => {
    const key = `${query.tenantId ?? ''}\u0000${query.provider}\u0000${query.endpoint ?? ''}\u0000${query.model}`;
    const cached = ranked.get(key);
    if (cached) return cached;
    const sameProvider = (rule: Rule): number =>
      rule.price.provider === query.provider || rule.price.provider === '*' ? 0 : 1;
    const list = rules
      .filter((rule) => rule.tier !== 0 || rule.price.origin === query.tenantId)
      .filter((rule) => rule.endpoint === undefined || rule.endpoint === query.endpoint)
      .filter((rule) => rule.pattern.test(query.model))
      .sort(
        (a, b) =>
          sameProvider(a) - sameProvider(b) ||
          a.tier - b.tier ||
          b.priority - a.priority ||
          b.price.match.length - a.price.match.length ||
          b.price.validFromMs - a.price.validFromMs,
      );
    if (ranked.size >= MAX_CACHED_KEYS) ranked.clear();
    ranked.set(key, list);
    return list;
  };

  return {
    lookup(query) {
      if (query.model === '' || query.model.length > MAX_MODEL_LENGTH) return null;
      const rule = candidates(query).find((candidate) => candidate.price.validFromMs <= query.atMs);
      return rule ? rule.price : null;
    },
  };
}

function toRule(entry: ModelPriceEntry | PriceOverrideEntry, origin: string, tier: number): Rule {
  return {
    pattern: new RegExp(entry.match),
    endpoint: entry.endpoint,
    priority: entry.priority ?? 0,
    tier,
    price: {
      provider: entry.provider,
      match: entry.match,
      validFromMs: parseValidFrom(entry.valid_from),
      input: entry.input,
      output: entry.output,
      cacheRead: entry.cache_read,
      cacheWrite: entry.cache_write,
      reasoning: entry.reasoning,
      origin,
    },
  };
}

/** `YYYY-MM-DD` is UTC midnight (Date.parse reads date-only forms as UTC); date-times carry an offset. */
function parseValidFrom(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`valid_from "${value}" is not a date`);
  return ms;
}
