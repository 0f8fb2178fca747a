package dev.convoy.rules;

import dev.convoy.engine.decide.Decisions;
import dev.convoy.engine.decide.Facts;
import dev.convoy.engine.decide.RuleSession;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints, does not assert: cold and warm KieBase build, and insert+fire for 10,000 workloads x 20
 * policies ({@link SyntheticFleet}). Wall time and this thread's CPU time are both printed: on a
 * shared machine the wall time mostly measures the neighbours. Run alone so the first build is
 * really cold: {@code ./mvnw -q -B -o -pl rules test -Dtest=RulesBenchmarkTest
 * -Dconvoy.bench=true}.
 */
@EnabledIfSystemProperty(named = "convoy.bench", matches = "true")
class RulesBenchmarkTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  @Test
  void printsBuildAndFireTimes() throws Exception {
    for (int i = 0; i < 3; i++) {
      long wall = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      DroolsPolicyRules.builder().build();
      System.out.printf(
          "BENCH KieBase build (built-in DRL), %s: wall %d ms, cpu %d ms%n",
          i == 0 ? "cold" : "warm",
          (System.nanoTime() - wall) / 1_000_000,
          (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000);
    }
    DroolsPolicyRules rules = DroolsPolicyRules.builder().build();
    DroolsPolicyRules quiet = DroolsPolicyRules.builder().setRecordFirings(false).build();
    // 3 labels: each workload matches about 3 of the 20 policies; 60 (-Dconvoy.bench.heavy=true):
    // nearly all of them.
    int[] labelCounts =
        Boolean.getBoolean("convoy.bench.heavy") ? new int[] {3, 60} : new int[] {3};
    for (int labels : labelCounts) {
      Facts facts = SyntheticFleet.facts(10_000, 20, labels);
      for (int round = 1; round <= (labels == 3 ? 4 : 1); round++) {
        for (DroolsPolicyRules r : new DroolsPolicyRules[] {rules, quiet}) {
          System.gc();
          long wall = System.nanoTime();
          long cpu = THREADS.getCurrentThreadCpuTime();
          long processCpu = PROCESS.getProcessCpuTime();
          long gc = gcMillis();
          try (RuleSession session = r.open(facts)) {
            long firedProcessCpu = PROCESS.getProcessCpuTime();
            long firedGc = gcMillis();
            long firedWall = System.nanoTime();
            long firedCpu = THREADS.getCurrentThreadCpuTime();
            Decisions d = session.decisions();
            System.out.printf(
                "BENCH %d labels, firings %s, round %d: %d facts; insert+fire wall %d ms, thread cpu %d ms,"
                    + " process cpu %d ms, gc %d ms;"
                    + " decisions() cpu %d ms; %d matches, %d injections, %d vetoes, %d edges, %d violations,"
                    + " %d firings recorded%n",
                labels,
                r == rules ? "recorded" : "not recorded",
                round,
                facts.size(),
                (firedWall - wall) / 1_000_000,
                (firedCpu - cpu) / 1_000_000,
                (firedProcessCpu - processCpu) / 1_000_000,
                firedGc - gc,
                (THREADS.getCurrentThreadCpuTime() - firedCpu) / 1_000_000,
                d.matches().size(),
                d.injections().size(),
                d.vetoes().size(),
                d.edges().size(),
                d.violations().size(),
                d.firings().size());
          }
        }
      }
    }
  }
}
