import { isAdmin } from "../../graphql/rules.js";

export const auditRules = {
  Query: {
    auditEvents: isAdmin,
  },
};
