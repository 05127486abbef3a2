import { requires, type AccessDeclarations } from "../../auth/access.js";

export const auditAccess = {
  Query: {
    auditEvents: requires("audit.read"),
  },
} satisfies AccessDeclarations;
