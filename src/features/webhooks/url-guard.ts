import { lookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import type { HostResolver } from "../../context.js";
import { isSpecialPurposeAddress } from "./special-addresses.js";

export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true })).map((entry) => entry.address);

export interface UrlPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
  resolve: HostResolver;
}

const internalProblem = "must not point at a private, loopback, link-local or other special-purpose address";

/**
 * Why a webhook URL may not be called, or null when it may. Registration checks it; a delivery
 * checks it again and then connects only through `guardedLookup`, which validates the addresses the
 * socket is given, since a name may answer differently between a check and the connection.
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
    addresses = isIP(host) ? [host] : await policy.resolve(host);
  } catch {
    return "has a host name that does not resolve";
  }
  if (addresses.length === 0) return "has a host name that does not resolve";
  if (addresses.some(isSpecialPurposeAddress)) return internalProblem;
  return null;
}

export class RefusedAddressError extends Error {
  readonly code = "ERR_WEBHOOK_ADDRESS_REFUSED";
}

/**
 * The `lookup` of the sockets a delivery opens: resolves the name itself and hands the socket only
 * addresses that pass the check, so what is connected to is what was checked. (An address literal
 * never reaches a lookup; `webhookUrlProblem` has checked it.)
 */
export function guardedLookup(resolve: HostResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const allowed = addresses.filter((address) => !isSpecialPurposeAddress(address));
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const entries = allowed
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => wanted === 0 || entry.family === wanted);
        if (entries.length === 0) {
          const refusal = new RefusedAddressError(
            `${hostname} resolves only to refused addresses: url ${internalProblem}`,
          );
          callback(Object.assign(refusal, { errno: 0, syscall: "lookup", hostname }), "", 0);
          return;
        }
        if (options.all) callback(null, entries as never, 0);
        else callback(null, entries[0]!.address, entries[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}
