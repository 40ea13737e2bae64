export { computeCost, resolveCost } from './compute-cost.js';
export type { CallTime, CostResult, CostUsage } from './compute-cost.js';
export { bedrockEndpointOf, normaliseModelName, normaliseProvider } from './model-name.js';
export type { BedrockEndpoint } from './model-name.js';
export { loadPriceOverrides, parsePriceOverrides, priceOverrideFileSchema, PriceOverrideError } from './overrides.js';
export { createPriceBook } from './price-book.js';
export type { ModelPrice, PriceBook, PriceOverrideEntry, PriceQuery } from './price-book.js';
export { createSpanCostResolver } from './span-cost.js';
