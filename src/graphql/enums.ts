import { registerEnumType } from "type-graphql";

/**
 * REST refusals name an enum's documented strings in the words its service used before the
 * enum existed; most said "must be one of …", the exceptions are recorded here by enum name.
 */
const refusals = new Map<string, string>();

/** `CustomerNumber` → `CUSTOMER_NUMBER`, `SalesRep` → `SALES_REP`: GraphQL enum value names. */
export function constantCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/**
 * Registers a GraphQL enum whose value names are CONSTANT_CASE and whose internal values are the
 * strings the services and the REST documents use, so resolvers receive those strings.
 */
export function documentedEnum<T extends Record<string, string>>(
  values: T,
  config: { name: string; description: string; refusal?: string },
): T {
  registerEnumType(values, { name: config.name, description: config.description });
  if (config.refusal) refusals.set(config.name, config.refusal);
  return values;
}

/** Builds an enum from documented strings, each named by its CONSTANT_CASE spelling. */
export function enumOf<const K extends string>(strings: readonly K[]): Record<string, K> {
  return Object.fromEntries(strings.map((value) => [constantCase(value), value]));
}

/** How a REST refusal of an enum value reads, naming the documented strings. */
export function enumRefusal(enumName: string, documented: readonly string[]): string {
  return refusals.get(enumName) ?? `must be one of ${documented.join(", ")}`;
}
