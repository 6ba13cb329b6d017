package dev.gantry.referrers;

import dev.gantry.image.Digest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything {@link Discovery} found for one image: its digest, the platform manifests of an index
 * (empty for a single image), and the attachments, parents before children (by depth).
 */
public record Discovered(Digest image, List<Digest> platforms, List<Attachment> attachments) {
  public Discovered {
    platforms = List.copyOf(platforms);
    attachments = List.copyOf(attachments);
  }

  /** What is attached to {@code subject} directly. */
  public List<Attachment> of(Digest subject) {
    return attachments.stream().filter(a -> a.subject().equals(subject)).toList();
  }

  /** The artifact types attached to {@code subject} directly (cosign tags by their mapped type). */
  public Set<String> types(Digest subject) {
    return of(subject).stream().map(Attachment::artifactType).collect(Collectors.toSet());
  }

  /**
   * The image and its platform manifests: the subjects all of cosign's tags are looked up for
   * (attachments: {@code .sig}).
   */
  public List<Digest> images() {
    return Stream.concat(Stream.of(image), platforms.stream()).toList();
  }
}
