package dev.convoy.git.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand.ResetType;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/** A person committing to {@code main} of a served repo while Convoy runs, retrying lost pushes. */
public final class HumanCommitter implements AutoCloseable {
  private final Git git;
  private final PersonIdent ident = new PersonIdent("human", "human@example.invalid");

  public HumanCommitter(String uri, Path folder) throws Exception {
    git = Git.cloneRepository().setURI(uri).setDirectory(folder.toFile()).setBranch("main").call();
  }

  /** Writes a file, commits and pushes; returns the id of the commit that landed. */
  public String commit(String path, String content, String message) throws Exception {
    return edit(path, before -> content, message);
  }

  /**
   * Rewrites a file with {@code edit}, commits and pushes; returns the id of the commit that
   * landed.
   */
  public String edit(String path, UnaryOperator<String> edit, String message) throws Exception {
    for (int attempt = 0; attempt < 200; attempt++) {
      git.fetch().call();
      git.reset().setMode(ResetType.HARD).setRef("origin/main").call();
      Path file = git.getRepository().getWorkTree().toPath().resolve(path);
      String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      Files.createDirectories(file.getParent());
      Files.writeString(file, edit.apply(before), StandardCharsets.UTF_8);
      git.add().addFilepattern(path).call();
      RevCommit commit =
          git.commit()
              .setAuthor(ident)
              .setCommitter(ident)
              .setMessage(message)
              .setSign(false)
              .call();
      boolean ok = true;
      for (PushResult result : git.push().setRemote("origin").add("main").call()) {
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          ok &= update.getStatus() == RemoteRefUpdate.Status.OK;
        }
      }
      if (ok) {
        return commit.name();
      }
      Thread.sleep(5);
    }
    throw new AssertionError("human could not push in 200 attempts");
  }

  @Override
  public void close() {
    git.close();
  }
}
