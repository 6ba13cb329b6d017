package dev.gantry.layout;

import dev.gantry.GantryException;
import dev.gantry.registry.ImageReference;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code oci:PATH[:TAG]} (a layout directory) or {@code oci-archive:FILE[:TAG]} (its tar form, read
 * only), the syntax skopeo uses. Without a tag the reference names the layout as a whole (promote)
 * or, as a copy source, its only image.
 */
public record LayoutReference(boolean archive, Path path, @Nullable String tag) {
  // equals and hashCode written out: a record's generated ones link java.lang.invoke call sites on
  // first use, some
  // 60 ms of a CLI run (StartupClassesIT holds a promote to none).
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LayoutReference r
        && archive == r.archive
        && path.equals(r.path)
        && Objects.equals(tag, r.tag);
  }

  @Override
  public int hashCode() {
    return Objects.hash(archive, path, tag);
  }

  public static final String OCI = "oci:";
  public static final String OCI_ARCHIVE = "oci-archive:";

  public static boolean isLayout(String value) {
    return value.startsWith(OCI) || value.startsWith(OCI_ARCHIVE);
  }

  public static LayoutReference parse(String value) {
    boolean archive = value.startsWith(OCI_ARCHIVE);
    String rest = value.substring(archive ? OCI_ARCHIVE.length() : OCI.length());
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      try {
        ImageReference.checkTag(tag);
      } catch (GantryException e) {
        throw GantryException.badInput("invalid tag '" + tag + "' in '" + value + "'");
      }
    }
    if (rest.isEmpty()) {
      throw GantryException.badInput("invalid layout reference '" + value + "': no path");
    }
    return new LayoutReference(archive, Path.of(rest), tag);
  }

  /** The layout without the tag: {@code oci:build/app}. */
  public String name() {
    return (archive ? OCI_ARCHIVE : OCI) + path;
  }

  @Override
  public String toString() {
    return name() + (tag == null ? "" : ":" + tag);
  }
}
