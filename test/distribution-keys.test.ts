import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../src/db/client.js";
import { openTestDatabase } from "./support/server.js";
import { rows } from "./support/tenant-rows.js";

/**
 * The migrated schema stays distributable by organization (Citus, docs/operations.md): every table
 * with an organization_id is distributed by it, every other table is a reference table named here.
 * Citus refuses a distributed table whose primary or unique keys lack the distribution column, and
 * a foreign key between distributed tables that does not join on it.
 */
const referenceTables = [
  "device_tokens",
  "organizations",
  "password_resets",
  "revoked_sessions",
  "sales_rep_meta_fields",
  "sales_reps",
  "signing_keys",
  "users",
];

const distributionColumn = "organization_id";

interface TableRow {
  table: string;
  tenant: boolean;
}

interface KeyRow {
  table: string;
  key: string;
  kind: "primary key" | "unique";
  leading: string | null;
}

interface ForeignKeyRow {
  table: string;
  key: string;
  referenced: string;
  /** Pairs of referencing and referenced column, in the key's order. */
  pairs: [string, string][];
}

let database: DatabaseHandle;
let tables: TableRow[];
let keys: KeyRow[];
let foreignKeys: ForeignKeyRow[];

const query = <T>(statement: SQL) => rows<T>(database.db, statement);

beforeAll(async () => {
  database = await openTestDatabase();
  tables = await query<TableRow>(sql`
    select c.relname as "table",
      exists (select 1 from pg_attribute a
              where a.attrelid = c.oid and a.attname = ${distributionColumn} and not a.attisdropped) as tenant
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by 1`);
  // Every unique index, whether it backs a primary key, a unique constraint or stands alone
  // (partial and expression ones included): an expression in the first place has no column.
  keys = await query<KeyRow>(sql`
    select t.relname as "table", i.relname as key,
      case when x.indisprimary then 'primary key' else 'unique' end as kind,
      a.attname as leading
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    left join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
    where n.nspname = 'public' and x.indisunique
    order by 1, 2`);
  foreignKeys = await query<ForeignKeyRow>(sql`
    select t.relname as "table", c.conname as key, r.relname as referenced,
      (select json_agg(json_build_array(fa.attname, ra.attname) order by k.ord)
       from unnest(c.conkey, c.confkey) with ordinality as k(own, other, ord)
       join pg_attribute fa on fa.attrelid = c.conrelid and fa.attnum = k.own
       join pg_attribute ra on ra.attrelid = c.confrelid and ra.attnum = k.other) as pairs
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_class r on r.oid = c.confrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public' and c.contype = 'f'
    order by 1, 2`);
});

afterAll(async () => {
  await database?.close();
});

const isTenant = (table: string) => tables.find((row) => row.table === table)?.tenant ?? false;

describe("keys of a schema distributed by organization", () => {
  it("reads the catalog it judges", () => {
    expect(tables.filter((row) => row.tenant).length).toBeGreaterThan(10);
    expect(keys.length).toBeGreaterThan(tables.length);
    expect(foreignKeys.length).toBeGreaterThan(10);
  });

  it("has an organization_id in every table but the reference tables", () => {
    const problems = tables.flatMap(({ table, tenant }) => {
      if (!tenant && !referenceTables.includes(table)) {
        return [`${table} has no ${distributionColumn} and is not a reference table of this test`];
      }
      if (tenant && referenceTables.includes(table)) {
        return [`${table} is listed as a reference table but has ${distributionColumn}`];
      }
      return [];
    });
    expect(problems).toEqual([]);
  });

  it("leads every primary key and unique key of a tenant table with organization_id", () => {
    const tenants = tables.filter((row) => row.tenant).map((row) => row.table);
    const problems = [
      ...tenants
        .filter((table) => !keys.some((key) => key.table === table && key.kind === "primary key"))
        .map((table) => `${table} has no primary key`),
      ...keys
        .filter((key) => tenants.includes(key.table) && key.leading !== distributionColumn)
        .map(
          (key) =>
            `${key.table}: ${key.kind} ${key.key} leads with ${key.leading ?? "an expression"}, not ${distributionColumn}`,
        ),
    ];
    expect(problems).toEqual([]);
  });

  it("joins every foreign key between tenant tables on organization_id", () => {
    const problems = foreignKeys
      .filter((fk) => isTenant(fk.table) && isTenant(fk.referenced))
      .filter((fk) => !fk.pairs.some(([own, other]) => own === distributionColumn && other === distributionColumn))
      .map(
        (fk) =>
          `${fk.table}: foreign key ${fk.key} (${fk.pairs.map(([own]) => own).join(", ")}) references ` +
          `${fk.referenced} (${fk.pairs.map(([, other]) => other).join(", ")}) without ${distributionColumn} on both sides`,
      );
    expect(problems).toEqual([]);
  });

  it("has no foreign key from a reference table to a tenant table", () => {
    const problems = foreignKeys
      .filter((fk) => !isTenant(fk.table) && isTenant(fk.referenced))
      .map((fk) => `reference table ${fk.table}: foreign key ${fk.key} references tenant table ${fk.referenced}`);
    expect(problems).toEqual([]);
  });
});
