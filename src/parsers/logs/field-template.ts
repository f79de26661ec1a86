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

/** How many distinct `#Fields` headers a thread keeps parsed (logs of one server share a few). */
const KEPT_HEADERS = 64;

/**
 * A parser's view of a `#Fields` line, built once per distinct line and thread: a thousand
 * hourly logs repeat the same header, and building it (names, template) cost ~0.1 ms per file.
 * The view must be read-only: files share it.
 */
export function headerMemo<H>(make: (spec: string) => H): (spec: string) => H {
  const kept = new Map<string, H>();
  return (spec) => {
    let h = kept.get(spec);
    if (h === undefined) {
      if (kept.size >= KEPT_HEADERS) kept.clear();
      h = make(spec);
      kept.set(spec, h);
    }
    return h;
  };
}
