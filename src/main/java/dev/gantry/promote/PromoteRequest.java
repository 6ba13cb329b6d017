package dev.gantry.promote;

import dev.gantry.GantryException;
import dev.gantry.registry.Digest;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Repository;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What to promote, validated before any request: the images (each optionally pinned to the source digest it
 * must still have), the source ({@code --from TAG} or {@code --from @sha256:…}) and the target tags.
 */
public record PromoteRequest(List<Image> images, String fromTag, Digest fromDigest, List<String> to) {
  /** A repository to promote in; {@code pinned} is the digest the source must resolve to, or null. */
  public record Image(Repository repository, Digest pinned) {
    public static Image parse(String value) {
      ImageReference ref = ImageReference.parse(value);
      if (ref.tag() != null) {
        throw GantryException.badInput("image '" + value + "' must not carry a tag: name the source with --from");
      }
      return new Image(ref.repository(), ref.digest());
    }

    @Override
    public String toString() {
      return repository.toString();
    }
  }

  public PromoteRequest {
    images = List.copyOf(images);
    to = List.copyOf(to);
  }

  public static PromoteRequest parse(List<String> images, String from, List<String> to) {
    if (images == null || images.isEmpty()) {
      throw GantryException.badInput("no image given: name at least one IMAGE");
    }
    if (from == null || from.isEmpty()) {
      throw GantryException.badInput("missing --from: name the source tag (or @sha256:…)");
    }
    if (to == null || to.isEmpty()) {
      throw GantryException.badInput("missing --to: name at least one target tag");
    }
    String fromTag = null;
    Digest fromDigest = null;
    if (from.startsWith("@")) {
      fromDigest = Digest.parse(from.substring(1));
    } else if (from.contains(":")) {
      fromDigest = Digest.parse(from);
    } else {
      fromTag = ImageReference.checkTag(from);
    }
    LinkedHashSet<String> tags = new LinkedHashSet<>();
    for (String t : to) {
      ImageReference.checkTag(t);
      if (t.equals(fromTag)) {
        throw GantryException.badInput("--to " + t + " is the same tag as --from");
      }
      tags.add(t);
    }
    List<Image> parsed = new ArrayList<>();
    LinkedHashSet<Repository> seen = new LinkedHashSet<>();
    for (String i : images) {
      Image image = Image.parse(i);
      if (!seen.add(image.repository())) {
        throw GantryException.badInput("image '" + i + "' is named twice");
      }
      parsed.add(image);
    }
    return new PromoteRequest(parsed, fromTag, fromDigest, List.copyOf(tags));
  }

  /** What goes after {@code /manifests/} to read the source. */
  public String sourceReference() {
    return fromDigest != null ? fromDigest.toString() : fromTag;
  }

  /** {@code sha-abc1234} or {@code @sha256:…}, as the user wrote it. */
  public String fromLabel() {
    return fromDigest != null ? "@" + fromDigest : fromTag;
  }
}
