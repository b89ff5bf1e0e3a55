/** parse-prometheus-text-format (no types of its own), typed for the metrics tests, with lookups. */
// @ts-expect-error: the package ships no type declarations
import parse from 'parse-prometheus-text-format';

export interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string> }[];
}

/** Parses a scrape; throws on text a Prometheus parser rejects. */
export function parseMetrics(text: string): ParsedFamily[] {
  return (parse as (t: string) => ParsedFamily[])(text);
}

/** The value of `name` with exactly these labels (undefined when absent). */
export function sample(families: ParsedFamily[], name: string, labels: Record<string, string> = {}) {
  const family = families.find((f) => f.name === name);
  const want = JSON.stringify(Object.entries(labels).sort());
  const found = family?.metrics.find((m) => JSON.stringify(Object.entries(m.labels ?? {}).sort()) === want);
  return found === undefined ? undefined : Number(found.value);
}

/** The samples of `name` with their labels. */
export function samples(families: ParsedFamily[], name: string) {
  return (families.find((f) => f.name === name)?.metrics ?? []).map((m) => ({
    labels: m.labels ?? {},
    value: Number(m.value),
  }));
}
