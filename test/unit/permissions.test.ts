import "reflect-metadata";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeAccess } from "../../src/auth/access.js";
import {
  allPermissions,
  builtInBuyerRoles,
  builtInRolePermissions,
  heldPermissions,
  mayGive,
  permissionCatalogue,
} from "../../src/auth/permissions.js";
import { features } from "../../src/features/index.js";

const doc = readFileSync(new URL("../../docs/permissions.md", import.meta.url), "utf8");

/** The rows of the table under `## heading`, as arrays of cells. */
function tableUnder(heading: string): string[][] {
  const section = doc.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.trim()),
    );
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, "").replace(/` \(federation\)$/, "");

describe("docs/permissions.md", () => {
  it("lists exactly the catalogue, in its order, with each permission's side and built-in holders", () => {
    const rows = tableUnder("Catalogue");
    expect(rows.map((row) => unquote(row[0]!))).toEqual(allPermissions);
    for (const row of rows) {
      const permission = unquote(row[0]!) as keyof typeof permissionCatalogue;
      expect(row[1], permission).toBe(permissionCatalogue[permission].side);
      expect(row[2], permission).toBe(permissionCatalogue[permission].person ? "yes" : "no");
      const holders = [
        ...(["Admin", "SalesRep"] as const).filter((role) => builtInRolePermissions[role].includes(permission)),
        ...Object.entries(builtInBuyerRoles)
          .filter(([, role]) => (role.permissions as readonly string[]).includes(permission))
          .map(([key]) => `\`${key}\``),
      ];
      expect(row[4], permission).toBe(holders.join(", ") || "—");
    }
  });

  it("states what every root field requires as it is declared", () => {
    const declared = features.flatMap((feature) =>
      (["Query", "Mutation"] as const).flatMap((root) =>
        Object.entries(feature.access[root] ?? {}).map(([field, access]) => [field, describeAccess(access)]),
      ),
    );
    const documented = tableUnder("Operations")
      .filter((row) => !row[0]!.includes("(federation)"))
      .map((row) => [unquote(row[0]!), row[1]]);
    expect(documented.sort()).toEqual(declared.sort());
  });
});

describe("held permissions", () => {
  const none = { sellerPermissions: [], buyerRoleKeys: null, buyerPermissions: [], client: false };

  it("gives Customer its association's buyer roles, not a fixed set", () => {
    expect(heldPermissions({ ...none, roles: ["Customer"], buyerRoleKeys: ["buyer"] })).toEqual(
      builtInRolePermissions.Customer,
    );
    expect(
      heldPermissions({
        ...none,
        roles: ["Customer"],
        buyerRoleKeys: ["approver"],
        buyerPermissions: ["orders.approve"],
      }),
    ).toEqual(["orders.approve"]);
    // Buyer permissions without an association count for nothing.
    expect(heldPermissions({ ...none, roles: [], buyerPermissions: ["orders.approve"] })).toEqual([]);
  });

  it("adds custom seller roles, ignores names outside the catalogue and keeps catalogue order", () => {
    expect(
      heldPermissions({ ...none, roles: ["SalesRep"], sellerPermissions: ["audit.read", "no.such", "users.read"] }),
    ).toEqual(["users.read", "customers.read_assigned", "audit.read"]);
  });

  it("gives an API client nothing that needs a person", () => {
    expect(
      heldPermissions({ ...none, roles: ["Admin"], sellerPermissions: ["customers.read_assigned"], client: true }),
    ).toEqual(builtInRolePermissions.Admin);
  });

  it("lets customers.read cover customers.read_assigned when giving, and nothing else", () => {
    expect(mayGive(new Set(["customers.read"]), "customers.read_assigned")).toBe(true);
    expect(mayGive(new Set(["customers.read_assigned"]), "customers.read")).toBe(false);
    expect(mayGive(new Set(["users.read"]), "users.manage")).toBe(false);
  });
});
