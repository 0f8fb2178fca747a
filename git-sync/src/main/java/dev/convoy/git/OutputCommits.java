package dev.convoy.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Builds the commits for a {@link RenderedChange} straight into the object database, without
 * touching the work tree or index: the tree of each commit is composed from the parent's tree and
 * the rendered files, so there is nothing to undo when a later step fails, and no hooks, filters or
 * line-ending conversions change the bytes.
 */
final class OutputCommits {
  /** A commit made locally and the ref update that would publish it. */
  record Planned(
      String branch, ObjectId expectedOld, RevCommit commit, PublishedCommit published) {}

  private final Repository repository;
  private final LocalRepo local;
  private final Author author;
  private final String messageTemplate;
  private final CommitSigner signer;

  /** {@code signer}: signs every commit, or null for unsigned commits. */
  OutputCommits(LocalRepo local, Author author, String messageTemplate, CommitSigner signer) {
    this.repository = local.repository();
    this.local = local;
    this.author = author;
    this.messageTemplate = messageTemplate;
    this.signer = signer;
  }

  /**
   * Makes one commit per branch whose tree changes: one on the source branch for all folder
   * outputs, one per rendered branch. Returns an empty list when nothing changes.
   */
  List<Planned> plan(Checkout source, RenderedChange change)
      throws IOException, InvalidConfigurationException {
    List<Output.Folder> folders = new ArrayList<>();
    List<Output.Branch> branches = new ArrayList<>();
    Set<String> branchNames = new HashSet<>();
    for (Output output : change.outputs()) {
      if (output instanceof Output.Folder folder) {
        checkPath(folder.path(), "output folder");
        folders.add(folder);
      } else if (output instanceof Output.Branch branch) {
        checkBranch(branch.name(), source.branch());
        if (!branchNames.add(branch.name())) {
          throw new InvalidConfigurationException(
              "output branch " + branch.name() + " given twice");
        }
        branches.add(branch);
      }
      for (String file : output.files().keySet()) {
        checkPath(file, "output file");
      }
    }
    checkNoOverlap(folders);

    String message = message(source, change);
    PersonIdent ident = new PersonIdent(author.name(), author.email());
    List<Planned> planned = new ArrayList<>();
    try (ObjectInserter inserter = repository.newObjectInserter();
        RevWalk walk = new RevWalk(repository)) {
      if (!folders.isEmpty()) {
        RevCommit parent = walk.parseCommit(ObjectId.fromString(source.commitId()));
        ObjectId tree = folderTree(parent, folders, inserter);
        if (!tree.equals(parent.getTree())) {
          planned.add(commit(source.branch(), parent, tree, message, ident, inserter, walk));
        }
      }
      for (Output.Branch branch : branches) {
        ObjectId tipId = local.remoteTip(branch.name());
        RevCommit tip = tipId == null ? null : walk.parseCommit(tipId);
        if (tip == null && branch.files().isEmpty()) {
          continue; // an empty orphan branch helps no one
        }
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        addFiles(builder, "", branch.files(), inserter);
        builder.finish();
        ObjectId tree = index.writeTree(inserter);
        if (tip == null || !tree.equals(tip.getTree())) {
          planned.add(commit(branch.name(), tip, tree, message, ident, inserter, walk));
        }
      }
      inserter.flush();
    }
    return planned;
  }

  private ObjectId folderTree(
      RevCommit parent, List<Output.Folder> folders, ObjectInserter inserter)
      throws IOException, InvalidConfigurationException {
    Set<String> ancestors = new HashSet<>();
    for (Output.Folder folder : folders) {
      String path = folder.path();
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        ancestors.add(path.substring(0, slash));
      }
    }
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(parent.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        String path = walk.getPathString();
        if (ancestors.contains(path)) {
          throw new InvalidConfigurationException(
              "output folder cannot be written: " + path + " is a file in " + parent.name());
        }
        if (folders.stream().anyMatch(f -> isUnder(path, f.path()))) {
          continue; // replaced wholesale: this is how stale files disappear
        }
        DirCacheEntry entry = new DirCacheEntry(path);
        entry.setFileMode(walk.getFileMode(0));
        entry.setObjectId(walk.getObjectId(0));
        builder.add(entry);
      }
    }
    for (Output.Folder folder : folders) {
      addFiles(builder, folder.path() + "/", folder.files(), inserter);
    }
    builder.finish();
    return index.writeTree(inserter);
  }

  private static boolean isUnder(String path, String folder) {
    return path.equals(folder) || path.startsWith(folder + "/");
  }

  private static void addFiles(
      DirCacheBuilder builder, String prefix, Map<String, byte[]> files, ObjectInserter inserter)
      throws IOException {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      DirCacheEntry entry = new DirCacheEntry(prefix + file.getKey());
      entry.setFileMode(FileMode.REGULAR_FILE);
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue()));
      builder.add(entry);
    }
  }

  private Planned commit(
      String branch,
      RevCommit parent,
      ObjectId tree,
      String message,
      PersonIdent ident,
      ObjectInserter inserter,
      RevWalk walk)
      throws IOException, InvalidConfigurationException {
    CommitBuilder commit = new CommitBuilder();
    commit.setTreeId(tree);
    if (parent != null) {
      commit.setParentId(parent);
    }
    commit.setAuthor(ident);
    commit.setCommitter(ident);
    commit.setMessage(message);
    if (signer != null) {
      signer.sign(repository, commit, ident);
    }
    ObjectId id = inserter.insert(commit);
    inserter.flush();
    RevCommit made = walk.parseCommit(id);
    PublishedCommit published =
        new PublishedCommit(
            branch,
            id.name(),
            Optional.ofNullable(parent).map(ObjectId::name),
            message,
            changes(parent == null ? null : parent.getTree(), tree));
    return new Planned(branch, parent == null ? ObjectId.zeroId() : parent, made, published);
  }

  private List<PublishedCommit.PathChange> changes(ObjectId oldTree, ObjectId newTree)
      throws IOException {
    List<PublishedCommit.PathChange> changes = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(repository)) {
      if (oldTree == null) {
        walk.addTree(new EmptyTreeIterator());
      } else {
        walk.addTree(oldTree);
      }
      CanonicalTreeParser parser = new CanonicalTreeParser();
      try (var reader = repository.newObjectReader()) {
        parser.reset(reader, newTree);
      }
      walk.addTree(parser);
      walk.setRecursive(true);
      walk.setFilter(TreeFilter.ANY_DIFF);
      while (walk.next()) {
        PublishedCommit.PathChange.Kind kind;
        if (walk.getRawMode(0) == 0) {
          kind = PublishedCommit.PathChange.Kind.ADDED;
        } else if (walk.getRawMode(1) == 0) {
          kind = PublishedCommit.PathChange.Kind.DELETED;
        } else {
          kind = PublishedCommit.PathChange.Kind.MODIFIED;
        }
        changes.add(new PublishedCommit.PathChange(kind, walk.getPathString()));
      }
    }
    return changes;
  }

  private String message(Checkout source, RenderedChange change) {
    String subject = messageTemplate.replace("{summary}", change.summary()).strip();
    StringBuilder message = new StringBuilder(subject).append("\n\n");
    message.append(new Trailer(Trailer.SOURCE_COMMIT, source.commitId())).append('\n');
    for (Trailer trailer : change.trailers()) {
      message.append(trailer).append('\n');
    }
    return message.toString();
  }

  private static void checkPath(String path, String what) throws InvalidConfigurationException {
    boolean valid = !path.isEmpty() && !path.startsWith("/") && !path.endsWith("/");
    if (valid) {
      for (String segment : path.split("/", -1)) {
        if (segment.isEmpty()
            || segment.equals(".")
            || segment.equals("..")
            || segment.toLowerCase(Locale.ROOT).equals(Constants.DOT_GIT)
            || segment.indexOf('\0') >= 0) {
          valid = false;
          break;
        }
      }
    }
    if (!valid) {
      throw new InvalidConfigurationException(
          what
              + " '"
              + path
              + "' must be a relative path without '.', '..', '.git' or empty parts");
    }
  }

  private static void checkBranch(String name, String sourceBranch)
      throws InvalidConfigurationException {
    if (!Repository.isValidRefName(Constants.R_HEADS + name)) {
      throw new InvalidConfigurationException(
          "output branch '" + name + "' is not a valid branch name");
    }
    if (name.equals(sourceBranch)) {
      throw new InvalidConfigurationException(
          "output branch '" + name + "' is the source branch; use an output folder instead");
    }
  }

  private static void checkNoOverlap(List<Output.Folder> folders)
      throws InvalidConfigurationException {
    TreeSet<String> seen = new TreeSet<>();
    for (Output.Folder folder : folders) {
      for (String other : seen) {
        if (isUnder(folder.path(), other) || isUnder(other, folder.path())) {
          throw new InvalidConfigurationException(
              "output folders overlap: " + other + " and " + folder.path());
        }
      }
      seen.add(folder.path());
    }
  }
}
