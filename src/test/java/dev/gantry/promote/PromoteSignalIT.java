package dev.gantry.promote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.FaultProxy;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.HeldRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SIGTERM and SIGINT in the middle of a promote, sent to the real jar while a write is slow: the
 * plan was printed before the first write, no new write starts, and every tag that moved is put
 * back (checked with skopeo).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromoteSignalIT {
  private static final AtomicLong SEED = new AtomicLong(1450);

  /**
   * Gantry is started as a script's background job starts (CI's {@code ./mvnw verify &}): with
   * SIGINT ignored, which children inherit. It must see the signals all the same.
   */
  private static final List<String> AS_A_BACKGROUND_JOB =
      List.of("bash", "-c", "trap '' INT; exec \"$@\"", "background-job");

  private RegistryServer registry;
  private FaultProxy proxy;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    proxy = FaultProxy.inFrontOf(registry);
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    proxy.close();
    registry.close();
  }

  private String push(String repo, String tag) {
    return TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        tag);
  }

  @Test
  void sigtermStopsNewWritesAndRollsBackWhatMoved() throws Exception {
    stopMidPromote("sigterm", "TERM", false);
  }

  @Test
  void sigintDoesTheSameAndJsonCarriesThePlan() throws Exception {
    Result r = stopMidPromote("sigint", "INT", true);
    com.fasterxml.jackson.databind.JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
    assertEquals("SIGINT", doc.path("stoppedBy").asText(), r.stdout());
    assertEquals(3, doc.path("plan").size(), r.stdout());
    assertTrue(doc.path("plan").get(0).path("previous").asText().startsWith("sha256:"), r.stdout());
  }

  private Result stopMidPromote(String name, String signal, boolean json) throws Exception {
    List<String> repos =
        List.of("signal/" + name + "-a", "signal/" + name + "-b", "signal/" + name + "-c");
    List<byte[]> before = new java.util.ArrayList<>();
    List<String> previous = new java.util.ArrayList<>();
    for (String repo : repos) {
      push(repo, "sha-abc1234");
      previous.add(push(repo, "latest"));
      before.add(skopeo.inspectRaw(registry.hostPort() + "/" + repo + ":latest", registry));
    }
    // The second write is held at the proxy until the signal was handled: the signal arrives while
    // it is in flight and before the third starts, however slow the machine.
    HeldRequest second = proxy.holdOnce("PUT", "/v2/" + repos.get(1) + "/manifests/latest");

    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "promote",
                "--jobs",
                "1",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                proxy.hostPort() + "/" + repos.get(0),
                proxy.hostPort() + "/" + repos.get(1),
                proxy.hostPort() + "/" + repos.get(2)));
    if (json) {
      args.add(1, "--json");
    }
    String planSoFar;
    Result r;
    try (GantryRunner.Running run =
        new GantryRunner().startJarFrom(AS_A_BACKGROUND_JOB, args.toArray(String[]::new))) {
      try {
        second.awaitArrival(Duration.ofSeconds(60));
        assertEquals(
            digestOf(repos.get(0), "sha-abc1234"),
            skopeo.digest(registry.hostPort() + "/" + repos.get(0) + ":latest", registry),
            "the first write is done before the second starts (--jobs 1)");
        planSoFar = run.stderrSoFar();
        assertEquals(
            0,
            new ProcessBuilder("kill", "-" + signal, Long.toString(run.process().pid()))
                .start()
                .waitFor());
        run.awaitStderr("SIG" + signal + " received", Duration.ofSeconds(60));
      } finally {
        second.release();
      }
      r = run.await();
    }

    assertEquals(6, r.exitCode(), r.all());
    for (int i = 0; i < repos.size(); i++) {
      String ref = registry.hostPort() + "/" + repos.get(i) + ":latest";
      assertArrayEquals(
          before.get(i), skopeo.inspectRaw(ref, registry), ref + " is back: " + r.all());
      assertTrue(
          planSoFar.contains(repos.get(i) + ":latest")
              && planSoFar.contains("(was " + previous.get(i) + ")"),
          "the plan, with every previous digest, was on stderr before the first write: "
              + planSoFar);
    }
    assertTrue(r.stderr().contains("SIG" + signal), r.stderr());
    assertTrue(
        r.stdout().contains("not-attempted") && r.stdout().contains("rolled-back"), r.stdout());
    assertTrue(
        proxy.requests().stream()
            .noneMatch(q -> q.method().equals("PUT") && q.url().contains(repos.get(2))),
        "no write starts after the signal: " + proxy.requests());
    return r;
  }

  private String digestOf(String repo, String tag) {
    return skopeo.digest(registry.hostPort() + "/" + repo + ":" + tag, registry);
  }
}
