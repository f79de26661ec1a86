/**
 * Fast record objects: every record of one `#Fields` header has the same keys, so the parsers
 * clone a template object that already has them (all `''`) and only assign values. The clone
 * keeps V8's fast property layout, which adding 70+ computed keys one by one would not; rules
 * reading the fields then hit a stable shape. Field names come from evidence and are data
 * only: the template is built with JSON.parse, so a name like `__proto__` is an ordinary key.
 */
export type FieldTemplate = Readonly<Record<string, string>>;

export function fieldTemplate(names: readonly string[]): FieldTemplate {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const n of names) {
    if (seen.has(n)) continue;
    seen.add(n);
    parts.push(`${JSON.stringify(n)}:""`);
  }
  return JSON.parse(`{${parts.join(',')}}`) as Record<string, string>;
}
