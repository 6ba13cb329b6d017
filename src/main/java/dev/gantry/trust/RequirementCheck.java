package dev.gantry.trust;

import dev.gantry.image.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether an image has what {@code --require-referrer} asks for: a pure function of the image and
 * of what was found attached to each of its digests.
 *
 * <p>The rule, for each required TYPE: it is attached to the top digest (the index, or the single
 * manifest), or the image is an index and TYPE is attached to every one of its platform manifests.
 * An index with no platform manifest needs TYPE on the index.
 */
public final class RequirementCheck {
  private RequirementCheck() {}

  /**
   * One line per requirement that is not met, naming what is missing where; empty when all are met.
   */
  public static List<String> missing(
      Subject subject, Map<Digest, List<Attachment>> attached, List<Requirement> requirements) {
    List<String> missing = new ArrayList<>();
    for (Requirement r : requirements) {
      if (has(attached, subject.digest(), r)) {
        continue;
      }
      if (!subject.index()) {
        missing.add("no " + r.label() + " is attached");
        continue;
      }
      List<String> without =
          subject.platforms().stream()
              .filter(p -> !has(attached, p.digest(), r))
              .map(Subject.Platform::label)
              .toList();
      if (subject.platforms().isEmpty()) {
        missing.add("no " + r.label() + " is attached to the index (it has no platform manifests)");
      } else if (!without.isEmpty()) {
        missing.add(
            "no "
                + r.label()
                + " is attached to the index"
                + (without.size() == subject.platforms().size()
                    ? " or to any platform manifest"
                    : ", and "
                        + String.join(", ", without)
                        + " (of "
                        + subject.platforms().size()
                        + " platforms) "
                        + (without.size() == 1 ? "has" : "have")
                        + " none"));
      }
    }
    return missing;
  }

  private static boolean has(Map<Digest, List<Attachment>> attached, Digest digest, Requirement r) {
    return attached.getOrDefault(digest, List.of()).stream().anyMatch(a -> a.satisfies(r));
  }
}
