package dev.convoy.git;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the work folder, calls the {@link Renderer}, commits what changed and pushes it. Create
 * with {@link GitSync#publish()}.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>A commit is made only when a tree changes; otherwise the outcome is {@link
 *       PublishResult.Outcome#UP_TO_DATE} and nothing is pushed.
 *   <li>All branches are updated in one push, atomic when there are several, each with the
 *       previously fetched tip as its expected old value. Nothing is ever forced, so a commit
 *       someone pushed in the meantime is never lost.
 *   <li>A lost race (non-fast-forward, or the ref moved) means: fetch, reset to the new head,
 *       render again, commit, push again; up to {@link #setMaxRetries(int)} times with jittered
 *       exponential back-off, then {@link RetriesExhaustedException}. Generated files are never
 *       merged.
 *   <li>Any failure before the push pushes nothing. Commits are built in the object database
 *       without touching the work tree, and the next run resets the work folder anyway.
 * </ul>
 */
public final class PublishCommand extends RemoteCommand<PublishCommand> {
  private static final Logger LOG = LoggerFactory.getLogger(PublishCommand.class);

  private Author author;
  private String messageTemplate = "convoy: {summary}";
  private Renderer renderer;
  private int maxRetries = 5;
  private Duration initialBackoff = Duration.ofMillis(500);
  private Duration maxBackoff = Duration.ofSeconds(16);
  private boolean dryRun;
  private CommitSigner signer;

  PublishCommand() {}

  /** Author and committer of Convoy's commits (required). */
  public PublishCommand setAuthor(Author author) {
    this.author = Objects.requireNonNull(author, "author");
    return this;
  }

  /**
   * The commit message; {@code {summary}} is replaced by {@link RenderedChange#summary()}. The
   * trailers {@code Convoy-Source-Commit} and the renderer's own follow after a blank line. Default
   * {@code convoy: {summary}}.
   */
  public PublishCommand setMessageTemplate(String messageTemplate) {
    Objects.requireNonNull(messageTemplate, "messageTemplate");
    if (messageTemplate.isBlank()) {
      throw new IllegalArgumentException("message template must not be blank");
    }
    this.messageTemplate = messageTemplate;
    return this;
  }

  /** Renders a checkout into outputs (required); called again after every lost push race. */
  public PublishCommand setRenderer(Renderer renderer) {
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    return this;
  }

  /** How many times a lost push race is retried before giving up; default 5. */
  public PublishCommand setMaxRetries(int maxRetries) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative");
    }
    this.maxRetries = maxRetries;
    return this;
  }

  /**
   * Back-off between retries: the n-th retry waits a random time between half and all of {@code
   * initial * 2^(n-1)}, capped at {@code max}, so racing CronJobs spread out. Default 500 ms and 16
   * s.
   */
  public PublishCommand setBackoff(Duration initial, Duration max) {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max");
    }
    this.initialBackoff = initial;
    this.maxBackoff = max;
    return this;
  }

  /** Signs every commit with this signer; default: unsigned commits. */
  public PublishCommand setSigner(CommitSigner signer) {
    this.signer = signer;
    return this;
  }

  /** Do everything but push: the result lists the commits that would be pushed. */
  public PublishCommand setDryRun(boolean dryRun) {
    this.dryRun = dryRun;
    return this;
  }

  /**
   * Runs sync, render, commit and push.
   *
   * @return {@code PUSHED}, {@code UP_TO_DATE} or {@code DRY_RUN}, with the commits
   * @throws RenderFailedException when the renderer throws; its exception is the cause
   * @throws RetriesExhaustedException when every attempt lost a push race
   * @throws GitSyncException for the other failure modes; nothing was pushed
   * @throws InterruptedException when interrupted while backing off
   */
  public PublishResult call() throws GitSyncException, InterruptedException {
    checkCallable();
    if (author == null) {
      throw new IllegalStateException("setAuthor(...) is required");
    }
    if (renderer == null) {
      throw new IllegalStateException("setRenderer(...) is required");
    }
    try (RemoteAccess access = RemoteAccess.open(uri, credentials, timeout);
        LocalRepo local = LocalRepo.openOrInit(workDir, access, takeOverWorkDir)) {
      OutputCommits commits = new OutputCommits(local, author, messageTemplate, signer);
      for (int attempt = 1; ; attempt++) {
        local.fetch(access);
        Checkout checkout = local.checkOut(branch, access);
        RenderedChange change = render(checkout, access);
        List<OutputCommits.Planned> planned;
        try {
          planned = commits.plan(checkout, change);
        } catch (IOException e) {
          throw new WorkDirException(
              "cannot write commits in " + workDir + ": " + e.getMessage(), e);
        }
        List<PublishedCommit> made =
            planned.stream().map(OutputCommits.Planned::published).toList();
        if (planned.isEmpty()) {
          LOG.info("{} at {}: rendered output is up to date", branch, checkout.commitId());
          return new PublishResult(PublishResult.Outcome.UP_TO_DATE, checkout, List.of(), attempt);
        }
        if (dryRun) {
          LOG.info("dry run: would push {} commit(s)", planned.size());
          return new PublishResult(PublishResult.Outcome.DRY_RUN, checkout, made, attempt);
        }
        PushStatus status = push(local, access, planned);
        if (status == PushStatus.PUSHED) {
          for (PublishedCommit commit : made) {
            LOG.info("pushed {} to {} of {}", commit.commitId(), commit.branch(), access.uri());
          }
          return new PublishResult(PublishResult.Outcome.PUSHED, checkout, made, attempt);
        }
        if (status == PushStatus.ALREADY_THERE) {
          // Commit ids are deterministic within a second: another Convoy run rendered the same
          // source and pushed the very same commits first.
          LOG.info(
              "{} at {}: another run already pushed the same commits", branch, checkout.commitId());
          return new PublishResult(PublishResult.Outcome.UP_TO_DATE, checkout, List.of(), attempt);
        }
        if (attempt > maxRetries) {
          throw new RetriesExhaustedException(
              "push to "
                  + access.uri()
                  + " lost the race against other writers "
                  + attempt
                  + " times; gave up without forcing (retry later)",
              attempt);
        }
        Duration wait = backoff(attempt);
        LOG.info(
            "push to {} lost a race (attempt {} of {}); re-rendering from the new head in {} ms",
            access.uri(),
            attempt,
            maxRetries + 1,
            wait.toMillis());
        Thread.sleep(wait.toMillis());
      }
    }
  }

  private RenderedChange render(Checkout checkout, RemoteAccess access)
      throws RenderFailedException {
    try {
      return Objects.requireNonNull(renderer.render(checkout), "renderer returned null");
    } catch (Exception e) {
      throw new RenderFailedException(
          "rendering "
              + checkout.branch()
              + " at "
              + checkout.commitId()
              + " failed; nothing was pushed: "
              + access.redact(e.getMessage()),
          e);
    }
  }

  private enum PushStatus {
    PUSHED,
    ALREADY_THERE,
    RACE_LOST
  }

  /** Pushes every planned commit in one push and says whether the race was won. */
  private PushStatus push(LocalRepo local, RemoteAccess access, List<OutputCommits.Planned> planned)
      throws GitSyncException {
    PushResult result;
    try (Transport transport = Transport.open(local.repository(), access.uri())) {
      access.configure(transport);
      LocalReceivePack.use(transport, access);
      // One ref needs no transaction; several must land together or not at all.
      transport.setPushAtomic(planned.size() > 1);
      List<RemoteRefUpdate> updates = new ArrayList<>();
      for (OutputCommits.Planned p : planned) {
        updates.add(
            new RemoteRefUpdate(
                local.repository(),
                null,
                p.commit(),
                "refs/heads/" + p.branch(),
                false, // never force
                null,
                p.expectedOld()));
      }
      result = transport.push(NullProgressMonitor.INSTANCE, updates);
    } catch (IOException e) {
      throw access.classify("push", e);
    }

    // pgm/Push.java style: look at every ref's status, not just at "no exception".
    boolean race = false;
    boolean updated = false;
    List<String> refused = new ArrayList<>();
    for (RemoteRefUpdate update : result.getRemoteUpdates()) {
      switch (update.getStatus()) {
        case OK -> updated = true;
        case UP_TO_DATE -> {}
        case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> race = true;
        default ->
            refused.add(
                update.getRemoteName()
                    + " "
                    + update.getStatus()
                    + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
      }
    }
    if (race) {
      return PushStatus.RACE_LOST;
    }
    if (refused.isEmpty()) {
      return updated ? PushStatus.PUSHED : PushStatus.ALREADY_THERE;
    }
    // A ref that moved between the advertisement and the update comes back as "failed to lock"
    // or similar, not as non-fast-forward: compare the tips now to tell a race from a refusal.
    local.fetch(access);
    for (OutputCommits.Planned p : planned) {
      ObjectId tip;
      try {
        tip = local.remoteTip(p.branch());
      } catch (IOException e) {
        throw new WorkDirException("cannot read " + p.branch() + ": " + e.getMessage(), e);
      }
      if (!p.expectedOld().equals(tip == null ? ObjectId.zeroId() : tip)) {
        return PushStatus.RACE_LOST;
      }
    }
    // What the server's hooks printed (git's "remote:" lines) says why; show it as git push does.
    StringBuilder message =
        new StringBuilder("push to ")
            .append(access.uri())
            .append(" rejected: ")
            .append(String.join("; ", refused));
    String remote = result.getMessages();
    if (remote != null) {
      remote
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty())
          .forEach(line -> message.append("\nremote: ").append(line));
    }
    throw new PushRejectedException(access.redact(message.toString()));
  }

  private Duration backoff(int attempt) {
    long cap = maxBackoff.toMillis();
    long full = Math.min(cap, initialBackoff.toMillis() << Math.min(attempt - 1, 30));
    long half = full / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(full - half + 1));
  }
}
