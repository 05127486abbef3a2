/**
 * The directory holding package.json, drizzle/, web/ and dist/. Files the server reads at run time
 * are found from here, not from their own module's location: this module sits directly below the
 * root wherever the code runs (src/ under tsx and the tests, build/ from tsc, dist/ as the bundle,
 * which keeps its chunks at the top of dist/ for this), while the modules that read files do not.
 */
export const packageRoot = new URL("../", import.meta.url);
