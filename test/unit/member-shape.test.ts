import "reflect-metadata";
import { isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { features } from "../../src/features/index.js";
import {
  compiledTypes,
  compileMember,
  compileMemberList,
  everyMemberField,
} from "../../src/features/users/member-shape.js";
import { memberListSpec } from "../../src/features/users/member-list.js";
import { buildGatewaySchema } from "../../src/graphql/schema.js";
import { resolvePage } from "../../src/pagination.js";

describe("the members list's SQL shape", () => {
  it("maps every field of OrganizationUser, so no selected field is left unbuilt", async () => {
    const { bare } = await buildGatewaySchema(features, { federation: false });
    for (const [name, shape] of Object.entries(compiledTypes)) {
      const type = bare.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      expect(Object.keys(type.getFields()).sort(), name).toEqual(Object.keys(shape.fields).sort());
    }
  });

  it("compiles one text per selection and sort, with values only as parameters", () => {
    const selection = { id: {}, roles: {} };
    const byEmail = resolvePage({}, memberListSpec).orderBy;
    const first = compileMemberList(selection, byEmail);
    expect(compileMemberList(selection, byEmail)).toBe(first);
    expect(first.params).toEqual(["organizationId", "limit", "offset"]);
    expect(compileMemberList(selection, resolvePage({ sortOn: "LastName" }, memberListSpec).orderBy).text).not.toBe(
      first.text,
    );
  });

  it("compiles one member's read once, with the tenant and the user only as parameters", () => {
    const first = compileMember(everyMemberField);
    expect(compileMember(everyMemberField)).toBe(first);
    expect(first.params).toEqual(["organizationId", "userId"]);
  });
});
