/**
 * The phrases the quality checks look for. Kept apart from the checks so that adding a language
 * is a data change. Patterns are anchored on phrases a model uses about itself ("I can't help
 * with…"), not on single words, to keep false positives on ordinary answers low.
 */

/** A provider or runtime failure passed off as the answer. */
export const ERROR_PATTERNS: readonly RegExp[] = [
  /^\s*(?:error|exception|fatal)\s*[:!-]/im,
  /Traceback \(most recent call last\)/,
  /\b[A-Z][A-Za-z]*(?:Error|Exception): /,
  /\b(?:unhandled|uncaught) exception\b|\ban? (?:unexpected )?(?:error|exception) (?:has )?occurred\b|\bexception was (?:raised|thrown)\b/i,
  // "rate limit" alone is often the topic ("the API has a rate limit of 100 requests"): only the failure counts.
  /\brate[ -]limit(?:ed\b| (?:exceeded|reached|hit|error))|\btoo many requests\b|\bquota exceeded\b/i,
  /\binternal server error\b|\bservice unavailable\b|\bbad gateway\b|\brequest timed out\b/i,
];

/** The model declining to answer, in English, Spanish, French, German, Portuguese and Italian. */
export const REFUSAL_PATTERNS: readonly RegExp[] = [
  // English
  /\bI(?:'m|’m| am) (?:sorry,? (?:but )?)?(?:unable|not able|not allowed|not permitted) to\b/i,
  /\bI (?:cannot|can't|can’t|can not|won't|won’t|will not) (?:help|assist|provide|do that|comply|fulfil|fulfill|answer|support|generate|create|share|complete|engage)\b/i,
  /\bas an AI(?: language model| assistant)?,? I (?:cannot|can't|can’t|am unable|don't|do not)\b/i,
  // Spanish
  /\bno (?:puedo|podré) (?:ayudar|ayudarte|ayudarle|proporcionar|hacer eso|cumplir|responder|asistir|generar|crear)/i,
  /\blo siento,? (?:pero )?no (?:puedo|es posible)|\bno (?:me es posible|estoy en condiciones de)\b/i,
  // French
  /\bje ne (?:peux|pourrai) pas (?:vous |t['’])?(?:aider|fournir|faire|répondre|assister|générer|créer)/i,
  /\bje ne suis pas (?:en mesure|autorisée?) de\b|\bdésolée?,? (?:mais )?je ne (?:peux|suis)\b|\bje suis incapable de\b/i,
  // German
  /\bich kann (?:Ihnen |dir |euch |dabei |damit |hier |leider )*(?:nicht|keine) (?:helfen|behilflich|unterstützen|beantworten|geben|liefern|erstellen)/i,
  /\bich bin (?:leider )?nicht in der Lage\b|\bich darf (?:Ihnen |dir |leider )*(?:nicht|keine)\b|\bes tut mir leid,? aber ich kann\b/i,
  // Portuguese
  /\bn[ãa]o (?:posso|consigo|poderei) (?:ajudar|te ajudar|fornecer|fazer isso|responder|atender|cumprir|gerar|criar)/i,
  /\b(?:desculpe|lamento),? mas n[ãa]o (?:posso|consigo)\b|\bn[ãa]o sou capaz de\b|\bn[ãa]o estou autorizad[oa] a\b/i,
  // Italian
  /\bnon (?:posso|potrò) (?:aiutar|fornire|fare|rispondere|assister|soddisfare|generare|creare)/i,
  /\bmi dispiace,? ma non (?:posso|sono in grado)\b|\bnon sono in grado di\b|\bnon mi è consentito\b/i,
];

/** The model taking back what it said ("I apologize, I made a mistake", a leading "Actually, …"). */
export const SELF_CORRECTION_PATTERNS: readonly RegExp[] = [
  /\bI apologi[sz]e,? (?:for (?:the|my) (?:mistake|error|confusion|oversight)|I made a mistake|my (?:mistake|error))/i,
  /\b(?:I made a mistake|I made an error|my mistake|my apologies for the (?:error|mistake)|let me correct (?:that|myself|this)|I was wrong|I misspoke|to correct my (?:previous|earlier))\b/i,
  /^\s*(?:actually|correction|wait),/i,
];

/** How far into an answer a refusal is looked for: a model declines up front, later "I can't" is usually content. */
export const REFUSAL_WINDOW = 400;

/**
 * How far into an answer error messages and self-corrections are looked for. An error passed off
 * as an answer, or an apology for the last one, opens the answer; scanning a 5,000-word essay
 * whole cost ~0.3 ms per call on the ingest path for little gain.
 */
export const SCAN_WINDOW = 1_000;
