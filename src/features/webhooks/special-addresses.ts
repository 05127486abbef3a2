import ipaddr from "ipaddr.js";

/**
 * Ranges of the IANA special-purpose address registries (IPv4 and IPv6) and the rest of the address
 * space that is not global unicast, listed outright so a range ipaddr.js names "unicast" is refused
 * all the same (IPv4-compatible IPv6, for one, reaches IPv4 loopback through `::7f00:1`).
 */
const refusedRanges: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.31.196.0", 24],
  ["192.52.193.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["192.175.48.0", 24],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
  ["255.255.255.255", 32],
  ["::", 96],
  ["::ffff:0:0", 96],
  ["::ffff:0:0:0", 96],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["2620:4f:8000::", 48],
  ["3fff::", 20],
  ["5f00::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
];
const refused = refusedRanges.map(([address, bits]) => [ipaddr.parse(address), bits] as const);
const globalUnicastV6: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse("2000::"), 3];

/**
 * Whether a webhook may not connect to this address: anything in a special-purpose range, whatever
 * its spelling (IPv4-mapped, -compatible or -translated IPv6 included), and anything that does not
 * parse as an address at all.
 */
export function isSpecialPurposeAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.range() !== "unicast") return true;
  if (parsed.kind() === "ipv6" && !parsed.match(globalUnicastV6)) return true;
  return refused.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
}
