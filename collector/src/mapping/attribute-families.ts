import {
  ATTRIBUTE_PREFIX, GEN_AI_LEGACY, MASTRA, OPENAI_AGENTS, OPENLLMETRY, VERCEL_AI, type AttributeMap,
} from '@agentflow/schemas';

/** Attribute families a span can carry, as bits: dialect detection asks for these per span. */
export const FAMILY = {
  GEN_AI: 1,
  AGENTFLOW: 2,
  VERCEL_AI: 4,
  OPENLLMETRY: 8,
  MASTRA: 16,
  OPENAI_AGENTS: 32,
  /** OpenLLMetry-style flattened content: `gen_ai.prompt.N.*` / `gen_ai.completion.N.*`. */
  FLAT_CONTENT: 64,
} as const;

const FLAT_PROMPT = `${GEN_AI_LEGACY.PROMPT}.`;
const FLAT_COMPLETION = `${GEN_AI_LEGACY.COMPLETION}.`;
const seen = new WeakMap<AttributeMap, number>();

/**
 * The families present in `attrs`, found in one pass over the keys and remembered for the map:
 * five dialect detectors each scanning every key with `startsWith` cost more than the rest of
 * detection together (measured on 20-attribute agent spans).
 */
export function familiesOf(attrs: AttributeMap): number {
  const cached = seen.get(attrs);
  if (cached !== undefined) return cached;
  let mask = 0;
  for (const key in attrs) {
    // The first character decides which prefixes can match, so most keys cost one comparison.
    switch (key.charCodeAt(0)) {
      case 103: // g
        if (key.startsWith(ATTRIBUTE_PREFIX.GEN_AI)) {
          mask |= FAMILY.GEN_AI;
          if (key.startsWith(FLAT_PROMPT) || key.startsWith(FLAT_COMPLETION)) mask |= FAMILY.FLAT_CONTENT;
        }
        break;
      case 97: // a
        if (key.startsWith(VERCEL_AI.PREFIX)) mask |= FAMILY.VERCEL_AI;
        else if (key.startsWith(ATTRIBUTE_PREFIX.AGENTFLOW)) mask |= FAMILY.AGENTFLOW;
        break;
      case 116: // t
        if (key.startsWith(OPENLLMETRY.PREFIX)) mask |= FAMILY.OPENLLMETRY;
        break;
      case 109: // m
        if (key.startsWith(MASTRA.PREFIX)) mask |= FAMILY.MASTRA;
        break;
      case 111: // o
        if (key.startsWith(OPENAI_AGENTS.PREFIX)) mask |= FAMILY.OPENAI_AGENTS;
        break;
    }
  }
  seen.set(attrs, mask);
  return mask;
}

/** True when `attrs` has any key of `family` (a {@link FAMILY} bit). */
export function hasFamily(attrs: AttributeMap, family: number): boolean {
  return (familiesOf(attrs) & family) !== 0;
}
