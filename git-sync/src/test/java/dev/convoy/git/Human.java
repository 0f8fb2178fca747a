package dev.convoy.git;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand.ResetType;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * A person committing to the source branch with plain JGit, over a transport without credentials: fetch,
 * reset to the remote head, edit, commit, push; on a lost race start over.
 */
final class Human implements AutoCloseable {
  private final Git git;
  private final PersonIdent ident = new PersonIdent("human", "human@example.invalid");

  Human(String uri, Path folder) throws Exception {
    git = Git.cloneRepository().setURI(uri).setDirectory(folder.toFile()).setBranch("main").call();
  }

  /** Writes a file, commits and pushes; returns the id of the commit that landed. */
  String commit(String path, String content, String message) throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      git.fetch().call();
      git.reset().setMode(ResetType.HARD).setRef("origin/main").call();
      Path file = git.getRepository().getWorkTree().toPath().resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      git.add().addFilepattern(path).call();
      RevCommit commit =
          git.commit().setAuthor(ident).setCommitter(ident).setMessage(message).setSign(false).call();
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
    throw new AssertionError("human could not push in 100 attempts");
  }

  @Override
  public void close() {
    git.close();
  }
}
