import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

export interface UrlPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
}

/** Loopback, private, link-local, CGNAT, unspecified and unique-local ranges. */
const internal = new BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  internal.addSubnet(address, prefix, "ipv4");
}
for (const [address, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const) {
  internal.addSubnet(address, prefix, "ipv6");
}

function isInternal(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, "ipv4");
  return internal.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/**
 * Why a webhook URL may not be called, or null when it may. The host is resolved on every check
 * (at registration and before each delivery), so a name re-pointed at an internal address after
 * registration is refused too.
 */
export async function webhookUrlProblem(raw: string, policy: UrlPolicy): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:")) {
    return policy.allowHttp ? "must be an http or https URL" : "must be an https URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (policy.allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    return "has a host name that does not resolve";
  }
  if (addresses.some(isInternal)) return "must not point at a private, loopback or link-local address";
  return null;
}
