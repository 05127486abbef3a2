/**
 * The variables and arguments of a paged list, for REST route documents: every list binds
 * pageNumber, pageSize, sortOn and sortDirection, and the filterable ones also filters.
 */
export const pageVariables = "$pageNumber: Int, $pageSize: Int, $sortOn: String, $sortDirection: String";
export const pageArguments =
  "pageNumber: $pageNumber, pageSize: $pageSize, sortOn: $sortOn, sortDirection: $sortDirection";
export const filteredPageVariables = `${pageVariables}, $filters: [ListFilter!]`;
export const filteredPageArguments = `${pageArguments}, filters: $filters`;
