package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.workflows.Workflow.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Tested once, promoted by digest" in the chain: once a workflow has a digest (a {@code command:
 * resolve} step, or a reusable workflow that outputs {@code pinned}), no scan, promote, release or
 * deploy in it takes the bare tag.
 */
final class DigestRules {
  private static final Set<String> WRITES = Set.of("promote", "release");
  private static final Pattern PINNED_OUTPUT =
      Pattern.compile("\\bneeds\\.[\\w-]+\\.outputs\\.pinned\\b");
  private static final Pattern STEP_IMAGES =
      Pattern.compile("\\bsteps\\.([\\w-]+)\\.outputs\\.(images|pinned)\\b");

  /** A Trivy image-ref that is one expression naming a pinned reference (a scan leg's ref). */
  private static final Pattern PINNED_REF =
      Pattern.compile("^\\$\\{\\{\\s*[\\w.-]+\\.(ref|pinned)\\s*}}$");

  private DigestRules() {}

  static void check(Suite suite, List<Violation> out) {
    for (Workflow w : suite.workflows()) {
      boolean resolves = w.allSteps().stream().anyMatch(DigestRules::isResolve);
      Optional<String> pinnedBy =
          w.jobs().entrySet().stream()
              .filter(
                  e ->
                      suite
                          .callee(e.getValue().path("uses").asText(""))
                          .map(c -> c.call().path("outputs").has("pinned"))
                          .orElse(false))
              .map(Map.Entry::getKey)
              .findFirst();
      if (resolves) {
        w.jobs().keySet().forEach(job -> checkJob(w, job, out));
      }
      pinnedBy.ifPresent(producer -> checkCalls(suite, w, producer, out));
    }
  }

  private static boolean isResolve(Step step) {
    return step.uses().startsWith("./") && step.with("command").equals("resolve");
  }

  private static void checkJob(Workflow w, String job, List<Violation> out) {
    List<Step> steps = w.steps(job);
    for (Step step : steps) {
      if (Jobs.isGantry(step) && WRITES.contains(Jobs.gantryCommand(step))) {
        String images = step.with("images");
        if (!images.isEmpty() && !pinned(images, steps)) {
          out.add(
              new Violation(
                  w.path(),
                  "digest",
                  step.where()
                      + ": "
                      + step.with("command")
                      + " takes images "
                      + images
                      + ", which are looked up by tag again; pass the pinned IMAGE@sha256 references (a resolve "
                      + "step's images, or a pinned output)"));
        }
      }
      if (step.usesAction("aquasecurity/trivy-action")
          && step.with("scan-type").matches("|image")) {
        String ref = step.with("image-ref").trim();
        if (!ref.contains("@sha256:") && !PINNED_REF.matcher(ref).matches()) {
          out.add(
              new Violation(
                  w.path(),
                  "digest",
                  step.where()
                      + ": Trivy scans "
                      + ref
                      + " by tag; scan the resolved "
                      + "digest (IMAGE@sha256:..., e.g. a leg's ref)"));
        }
      }
      JsonNode images = step.node().path("env").path("IMAGES");
      boolean deployStep = Jobs.isDeployStep(step);
      if (Jobs.deploys(w, job)
          && deployStep
          && (images.isMissingNode() || !pinned(images.asText(), steps))) {
        out.add(
            new Violation(
                w.path(),
                "digest",
                step.where()
                    + ": the deploy must receive the released digests in "
                    + "env IMAGES (a pinned output)"));
      }
    }
  }

  /**
   * A caller of a workflow that outputs pinned digests passes those, not the bare images, to every
   * callee after it, and to every promote or release step of the Gantry action in a job after it.
   */
  private static void checkCalls(Suite suite, Workflow w, String producer, List<Violation> out) {
    w.jobs()
        .forEach(
            (id, job) -> {
              if (!after(w.jobs(), id, producer, new HashSet<>())) {
                return;
              }
              List<Step> steps = w.steps(id);
              for (Step step : steps) {
                String images = step.with("images");
                if (Jobs.isGantry(step)
                    && WRITES.contains(Jobs.gantryCommand(step))
                    && !images.isEmpty()
                    && !pinned(images, steps)) {
                  out.add(
                      new Violation(
                          w.path(),
                          "digest",
                          step.where()
                              + ": "
                              + step.with("command")
                              + " takes images "
                              + images
                              + " although job "
                              + producer
                              + " outputs the pinned digests: pass needs."
                              + producer
                              + ".outputs.pinned"));
                }
              }
              if (suite.callee(job.path("uses").asText("")).isEmpty()) {
                return;
              }
              String images = job.path("with").path("images").asText("");
              if (!images.isEmpty() && !PINNED_OUTPUT.matcher(images).find()) {
                out.add(
                    new Violation(
                        w.path(),
                        "digest",
                        "job "
                            + id
                            + " passes images "
                            + images
                            + " although job "
                            + producer
                            + " outputs the pinned digests: pass needs."
                            + producer
                            + ".outputs.pinned"));
              }
            });
  }

  /** Whether job {@code id} needs {@code producer}, directly or through other jobs. */
  private static boolean after(
      Map<String, JsonNode> jobs, String id, String producer, Set<String> seen) {
    if (!seen.add(id) || !jobs.containsKey(id)) {
      return false;
    }
    for (String need : ChainRules.needs(jobs.get(id))) {
      if (need.equals(producer) || after(jobs, need, producer, seen)) {
        return true;
      }
    }
    return false;
  }

  /** A pinned output of another job, a resolve step's images, or a step's own pinned output. */
  private static boolean pinned(String value, List<Step> steps) {
    if (PINNED_OUTPUT.matcher(value).find()) {
      return true;
    }
    Matcher m = STEP_IMAGES.matcher(value);
    while (m.find()) {
      String id = m.group(1);
      boolean isPinnedOutput = m.group(2).equals("pinned");
      if (steps.stream()
          .anyMatch(
              s -> s.node().path("id").asText("").equals(id) && (isPinnedOutput || isResolve(s)))) {
        return true;
      }
    }
    return false;
  }
}
