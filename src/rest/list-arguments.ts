/**
 * The variables and arguments of a paged list, for REST route documents: every list binds
 * pageNumber, pageSize, sortOn (typed by the list's sort enum) and sortDirection, and the
 * filterable ones also filters.
 */
export const pageVariables = (sortEnum: string) =>
  `$pageNumber: Int, $pageSize: Int, $sortOn: ${sortEnum}, $sortDirection: SortDirection`;
export const pageArguments =
  "pageNumber: $pageNumber, pageSize: $pageSize, sortOn: $sortOn, sortDirection: $sortDirection";
export const filteredPageVariables = (sortEnum: string) => `${pageVariables(sortEnum)}, $filters: [ListFilter!]`;
export const filteredPageArguments = `${pageArguments}, filters: $filters`;
