package dev.gantry.image;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The manifest media types Gantry reads and writes as opaque bytes. */
public final class MediaTypes {
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /**
   * Sent on every manifest HEAD and GET, so no registry converts or refuses an index (GHCR does
   * without it).
   */
  public static final String ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  private static final Set<String> KNOWN =
      Set.of(DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX);
  private static final Set<String> INDEXES = Set.of(DOCKER_MANIFEST_LIST, OCI_INDEX);

  private MediaTypes() {}

  public static boolean isKnown(@Nullable String mediaType) {
    return mediaType != null && KNOWN.contains(mediaType);
  }

  public static boolean isIndex(@Nullable String mediaType) {
    return mediaType != null && INDEXES.contains(mediaType);
  }

  /** {@code application/json; charset=utf-8} → {@code application/json}. */
  public static @Nullable String bare(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
  }
}
