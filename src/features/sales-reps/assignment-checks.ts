import { BadInputError } from "../../errors.js";

export const repNumberRule = { max: 50 };

export const alreadyAssigned = (field: string) =>
  BadInputError.field(field, "is already a sales rep of this organization");
export const repNumberTaken = (field: string) =>
  BadInputError.field(field, "is already used by another sales rep of this organization");
