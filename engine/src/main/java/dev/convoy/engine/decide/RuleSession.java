package dev.convoy.engine.decide;

import java.util.Collection;

/** One rule session over one run's facts. */
public interface RuleSession extends AutoCloseable {

  /** The decisions in working memory after the last firing. */
  Decisions decisions();

  /**
   * Inserts facts the engine derives from the first decisions (for example effective resources
   * after injection), fires again, and returns the decisions then.
   */
  Decisions insertAndFire(Collection<?> lateFacts);

  @Override
  void close();
}
