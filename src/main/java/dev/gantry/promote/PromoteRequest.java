package dev.gantry.promote;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import dev.gantry.layout.LayoutReference;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Repository;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to promote, validated before any request: the images (each optionally pinned to the source
 * digest it must still have), the source ({@code --from TAG} or {@code --from @sha256:…}; null in a
 * rollback, which reads no source) and the target tags.
 */
public record PromoteRequest(List<Image> images, @Nullable Ref from, List<String> to) {
  /**
   * Where to promote: a registry repository or an OCI layout ({@code oci:PATH}). {@code pinned} is
   * the digest the source must still resolve to, or null.
   */
  public record Image(Location location, @Nullable Digest pinned) {
    // equals and hashCode written out: a record's generated ones link java.lang.invoke call sites
    // on first use,
    // some 60 ms of a CLI run (StartupClassesIT holds a promote to none).
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Image i
          && location.equals(i.location)
          && Objects.equals(pinned, i.pinned);
    }

    @Override
    public int hashCode() {
      return Objects.hash(location, pinned);
    }

    public Image(Repository repository, @Nullable Digest pinned) {
      this(new Location.Registry(repository), pinned);
    }

    /** The repository, when the image is on a registry. */
    public Optional<Repository> repository() {
      return location instanceof Location.Registry r
          ? Optional.of(r.repository())
          : Optional.empty();
    }

    public static Image parse(String value) {
      if (LayoutReference.isLayout(value)) {
        int at = value.lastIndexOf('@');
        Digest pinned = at > 0 ? Digest.parse(value.substring(at + 1)) : null;
        LayoutReference layout = LayoutReference.parse(at > 0 ? value.substring(0, at) : value);
        if (layout.archive()) {
          throw GantryException.badInput(
              "image '" + value + "' is an archive, which is read-only: promote needs oci:PATH");
        }
        if (layout.tag() != null) {
          throw GantryException.badInput(
              "image '" + value + "' must not carry a tag: name the source with --from");
        }
        return new Image(new Location.Layout(layout), pinned);
      }
      ImageReference ref = ImageReference.parse(value);
      if (ref.tag() != null) {
        throw GantryException.badInput(
            "image '" + value + "' must not carry a tag: name the source with --from");
      }
      return new Image(ref.repository(), ref.digest());
    }

    /**
     * Each image parsed, in order; bad input if one is named twice (promote and release both read
     * their images so).
     */
    public static List<Image> parseAll(List<String> values) {
      List<Image> parsed = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (String value : values) {
        Image image = parse(value);
        if (!seen.add(image.toString())) {
          throw GantryException.badInput("image '" + value + "' is named twice");
        }
        parsed.add(image);
      }
      return List.copyOf(parsed);
    }

    @Override
    public String toString() {
      return location.name();
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
    Ref source = from.startsWith("@") ? Ref.of(Digest.parse(from.substring(1))) : Ref.parse(from);
    LinkedHashSet<String> tags = new LinkedHashSet<>();
    for (String t : to) {
      ImageReference.checkTag(t);
      if (source.equals(Ref.tag(t))) {
        throw GantryException.badInput("--to " + t + " is the same tag as --from");
      }
      tags.add(t);
    }
    return new PromoteRequest(Image.parseAll(images), source, List.copyOf(tags));
  }

  /** The source to read: its tag or digest (a promote names one; a rollback reads no source). */
  public Ref source() {
    return Objects.requireNonNull(from, "a source tag or digest");
  }

  /** The source tag, or null when the source is a digest (or there is none). */
  public @Nullable String fromTag() {
    return from instanceof Ref.Tag t ? t.name() : null;
  }

  /** {@code sha-abc1234} or {@code @sha256:…}, as the user wrote it. */
  public String fromLabel() {
    return source() instanceof Ref.ByDigest d ? "@" + d : source().toString();
  }
}
