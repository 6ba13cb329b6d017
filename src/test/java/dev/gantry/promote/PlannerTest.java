package dev.gantry.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.image.Manifest;
import dev.gantry.promote.PromotePlan.TagStep;
import dev.gantry.registry.TestManifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final Manifest SOURCE = TestManifests.index("source");
  private static final Manifest OTHER = TestManifests.index("other");

  private static Preflight.ImageState state(
      PromoteRequest request, int i, Map<String, dev.gantry.image.Digest> targets) {
    return new Preflight.ImageState(request.images().get(i), SOURCE, targets);
  }

  @Test
  void targetAlreadyAtTheSourceDigestIsLeftAlone() {
    PromoteRequest request =
        PromoteRequest.parse(List.of("ghcr.io/acme/api"), "sha-1", List.of("latest"));
    PromotePlan plan =
        Planner.plan(request, List.of(state(request, 0, Map.of("latest", SOURCE.digest()))));
    assertEquals(
        List.of(new TagStep("latest", SOURCE.digest(), false)), plan.images().get(0).steps());
    assertEquals(0, plan.writes());
  }

  @Test
  void absentTargetIsWrittenWithNoPrevious() {
    PromoteRequest request =
        PromoteRequest.parse(List.of("ghcr.io/acme/api"), "sha-1", List.of("latest"));
    PromotePlan plan = Planner.plan(request, List.of(state(request, 0, Map.of())));
    assertEquals(List.of(new TagStep("latest", null, true)), plan.images().get(0).steps());
    assertEquals(1, plan.writes());
  }

  @Test
  void targetElsewhereIsWrittenAndRemembersWhereItWas() {
    PromoteRequest request =
        PromoteRequest.parse(List.of("ghcr.io/acme/api"), "sha-1", List.of("latest", "stable"));
    PromotePlan plan =
        Planner.plan(
            request,
            List.of(
                state(request, 0, Map.of("latest", OTHER.digest(), "stable", SOURCE.digest()))));
    assertEquals(
        List.of(
            new TagStep("latest", OTHER.digest(), true),
            new TagStep("stable", SOURCE.digest(), false)),
        plan.images().get(0).steps());
    assertEquals(1, plan.writes());
  }

  @Test
  void planKeepsTheSourceBytesAsRead() {
    PromoteRequest request =
        PromoteRequest.parse(List.of("ghcr.io/acme/api"), "sha-1", List.of("latest"));
    PromotePlan plan = Planner.plan(request, List.of(state(request, 0, Map.of())));
    assertEquals(SOURCE, plan.images().get(0).source());
  }

  @Test
  void pinnedDigestThatStillMatchesIsPlanned() {
    PromoteRequest request =
        PromoteRequest.parse(
            List.of("ghcr.io/acme/api@" + SOURCE.digest()), "sha-1", List.of("latest"));
    assertEquals(1, Planner.plan(request, List.of(state(request, 0, Map.of()))).writes());
  }

  @Test
  void pinnedDigestMismatchIsSourceMovedNamingBothDigests() {
    PromoteRequest request =
        PromoteRequest.parse(
            List.of("ghcr.io/acme/web", "ghcr.io/acme/api@" + OTHER.digest()),
            "sha-1",
            List.of("latest"));
    List<Preflight.ImageState> states =
        List.of(state(request, 0, Map.of()), state(request, 1, Map.of()));
    GantryException e = assertThrows(GantryException.class, () -> Planner.plan(request, states));
    assertEquals(GantryException.Kind.SOURCE_MOVED, e.kind());
    assertTrue(e.getMessage().contains("ghcr.io/acme/api"), e.getMessage());
    assertTrue(e.getMessage().contains("sha-1"), e.getMessage());
    assertTrue(e.getMessage().contains(SOURCE.digest().toString()), e.getMessage());
    assertTrue(e.getMessage().contains(OTHER.digest().toString()), e.getMessage());
  }
}
