package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.action.ActionStep.Result;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ledger through the action, as the runner runs it: the step summary's history, command
 * rollback, soak.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActionLedgerIT {
  private static final AtomicLong SEED = new AtomicLong(1900);
  private RegistryServer registry;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    registry.close();
  }

  private String push(String repo, String sha) {
    return TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        "sha-" + sha.substring(0, 7));
  }

  private static ActionStep dispatch(String sha) {
    return ActionStep.on(
            "workflow_dispatch",
            EventPayloads.workflowDispatch(EventPayloads.JSON.createObjectNode()),
            sha)
        .env("GITHUB_ACTOR", "octocat")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", EventPayloads.REPOSITORY)
        .env("GITHUB_RUN_ID", "41");
  }

  @Test
  void promotesShowTheLastMovesARollbackMovesBackAndASoakGateRefuses() throws Exception {
    String repo = "action-ledger/api";
    String image = registry.hostPort() + "/" + repo;
    String shaA = EventPayloads.sha();
    String shaB = EventPayloads.sha();
    String a = push(repo, shaA);
    String b = push(repo, shaB);

    assertEquals(0, dispatch(shaA).input("images", image).run().exitCode());
    Result second = dispatch(shaB).input("images", image).run();

    assertEquals(0, second.exitCode(), second.all());
    JsonNode promoted = EventPayloads.JSON.readTree(second.outputs().get("promoted"));
    assertEquals(a, promoted.get(0).path("previous").asText(), second.all());
    assertTrue(second.summary().contains("**Ledger:** 1 record(s) written.\n"), second.summary());
    assertTrue(
        second.summary().contains("#### Last moves of `" + image + ":latest`\n"), second.summary());
    // The action passes the commit it promotes: the records name it without reading image labels.
    assertTrue(
        second
            .summary()
            .contains(
                "| promote | `"
                    + b
                    + "` | `"
                    + a
                    + "` | `"
                    + shaB
                    + "` | octocat | [run](https://github.com/"
                    + EventPayloads.REPOSITORY
                    + "/actions/runs/41/attempts/1) |\n"),
        second.summary());
    assertTrue(
        second.summary().contains("| promote | `" + a + "` | - | `" + shaA + "` | octocat |"),
        second.summary());

    Result back = dispatch(shaB).input("command", "rollback").input("images", image).run();
    assertEquals(0, back.exitCode(), back.all());
    assertEquals(a, skopeo.digest(image + ":latest", registry));
    JsonNode moved = EventPayloads.JSON.readTree(back.outputs().get("promoted"));
    assertEquals(a, moved.get(0).path("digest").asText(), back.all());
    assertEquals(b, moved.get(0).path("previous").asText(), back.all());
    assertTrue(back.summary().startsWith("### Gantry rollback\n"), back.summary());

    Result early =
        dispatch(shaA)
            .input("from", "latest")
            .input("to", "prod")
            .input("soak", "1h")
            .input("images", image)
            .run();
    assertEquals(8, early.exitCode(), early.all());
    assertTrue(
        early.errors().stream()
            .anyMatch(l -> l.contains("refused by --soak 1h: " + a + " has been at latest for ")),
        early.all());
    assertTrue(!skopeo.exists(image + ":prod", registry), "nothing written");

    Result bad = dispatch(shaA).input("record", "maybe").input("images", image).run();
    assertEquals(2, bad.exitCode(), bad.all());
    assertTrue(
        bad.errors().stream().anyMatch(l -> l.contains("invalid input record 'maybe'")), bad.all());
  }
}
