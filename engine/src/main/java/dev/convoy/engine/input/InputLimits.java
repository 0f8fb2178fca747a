package dev.convoy.engine.input;

/**
 * How much one input file may hold before Convoy refuses it. Every byte of a config repo may come
 * from a pull request, so loading stays bounded in time and memory whatever a file says: a file
 * over a limit is bad input (exit 2) naming the file and line, never a crash. The defaults fit the
 * largest real manifests (CRD bundles of a few MiB); {@code limits:} in {@code convoy.yaml} raises
 * them.
 *
 * @param fileBytes the largest file read, in bytes
 * @param documentsPerFile the most YAML documents (or JSON values) in one file
 * @param aliasExpansion how many nodes the aliases of one file may stand for, each alias counting
 *     as the whole tree it repeats (what an alias bomb multiplies)
 * @param nestingDepth the deepest nesting of mappings and lists
 * @param scalarLength the longest single scalar (a string, a number, a key), in characters
 */
public record InputLimits(
    long fileBytes, int documentsPerFile, long aliasExpansion, int nestingDepth, int scalarLength) {

  public static final long MIB = 1024 * 1024;

  public static final InputLimits DEFAULT = new InputLimits(16 * MIB, 10_000, 10_000, 200, 1 << 20);

  public InputLimits {
    if (fileBytes <= 0
        || documentsPerFile <= 0
        || aliasExpansion < 0
        || nestingDepth <= 0
        || scalarLength <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
