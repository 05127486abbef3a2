import autocannon from "autocannon";

export interface Scenario {
  name: string;
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** A public, per-IP rate-limited route: each request comes from its own X-Forwarded-For address. */
  distinctClientIps?: boolean;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  /** Requests answered in the round. */
  requests: number;
}

let nextIp = 0;
/** 10.0.0.0/8 addresses, never the same twice in a run, for a proxy-trusting server. */
export function distinctIp(): string {
  nextIp++;
  return `10.${(nextIp >> 16) & 255}.${(nextIp >> 8) & 255}.${nextIp & 255}`;
}

export function headersFor(scenario: Scenario): Record<string, string> {
  return {
    ...(scenario.body ? { "content-type": "application/json" } : {}),
    ...scenario.headers,
    ...(scenario.distinctClientIps ? { "x-forwarded-for": distinctIp() } : {}),
  };
}

export async function load(base: string, scenario: Scenario, seconds: number, connections: number) {
  const result = await autocannon({
    url: base + scenario.path,
    connections,
    duration: seconds,
    requests: [
      {
        method: scenario.method,
        body: scenario.body,
        setupRequest: (request) => ({ ...request, headers: headersFor(scenario) }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  } satisfies LoadResult;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
