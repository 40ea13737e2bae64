import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/** Outcome of reading a settings file: the value, or every problem with the field it names. */
export type FileResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Reads a YAML (.yaml, .yml) or JSON file and validates it with `schema`. Errors name the file
 * and the field, so a bad file stops the server at start with a message that says what to fix.
 */
export function readSettingsFile<S extends z.ZodType>(path: string, schema: S): FileResult<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, errors: [`${path}: cannot read: ${(err as Error).message}`] };
  }
  let raw: unknown;
  try {
    raw = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`${path}: not valid ${extname(path).slice(1).toUpperCase() || 'JSON'}: ${(err as Error).message}`] };
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${path}: ${i.path.join('.') || '(top)'}: ${i.message}`) };
  return { ok: true, value: parsed.data };
}
