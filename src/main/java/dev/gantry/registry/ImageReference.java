package dev.gantry.registry;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import org.jspecify.annotations.Nullable;

/**
 * {@code [registry/]path[:tag][@digest]}, parsed with no I/O. The first component is a registry
 * when it holds a dot or a colon, is {@code localhost}, or is an IPv6 literal; otherwise the image
 * is on Docker Hub, where a one-component name gets the {@code library/} prefix.
 */
public record ImageReference(Repository repository, @Nullable String tag, @Nullable Digest digest) {
  public ImageReference {
    if (repository == null) {
      throw new IllegalArgumentException("repository");
    }
    if (tag != null) {
      checkTag(tag);
    }
  }

  public static ImageReference parse(String value) {
    if (value == null || value.isBlank() || !value.equals(value.strip())) {
      throw GantryException.badInput("invalid image reference '" + value + "'");
    }
    String rest = value;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = parseDigest(rest.substring(at + 1), value);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!Ref.Tag.isValid(tag)) {
        throw GantryException.badInput("invalid tag '" + tag + "' in '" + value + "'");
      }
    }
    return new ImageReference(parseRepository(rest, value), tag, digest);
  }

  public static Repository parseRepository(String name, String original) {
    if (name.isEmpty()) {
      throw GantryException.badInput("invalid image reference '" + original + "'");
    }
    int slash = name.indexOf('/');
    String first = slash < 0 ? name : name.substring(0, slash);
    boolean hasRegistry =
        slash >= 0
            && (first.contains(".")
                || first.contains(":")
                || first.equals("localhost")
                || first.startsWith("["));
    String registry = hasRegistry ? first : Repository.DOCKER_HUB;
    String path = hasRegistry ? name.substring(slash + 1) : name;
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      registry = Repository.DOCKER_HUB;
    }
    if (registry.equals(Repository.DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    try {
      return new Repository(registry, path);
    } catch (GantryException e) {
      throw GantryException.badInput(e.getMessage() + " in '" + original + "'");
    }
  }

  private static Digest parseDigest(String digest, String original) {
    try {
      return Digest.parse(digest);
    } catch (GantryException e) {
      throw GantryException.badInput(
          "invalid digest '" + digest + "' in '" + original + "' (expected sha256:<64 hex>)");
    }
  }

  /** Throws the one-line bad-input error unless {@code tag} is a valid tag. */
  public static String checkTag(@Nullable String tag) {
    return Ref.Tag.parse(tag).name();
  }

  public ImageReference withTag(String newTag) {
    return new ImageReference(repository, newTag, null);
  }

  /**
   * What goes after {@code /manifests/}: the digest when pinned, else the tag, else {@code latest}.
   */
  public Ref manifestReference() {
    Ref named = namedReference();
    return named != null ? named : Ref.tag("latest");
  }

  /** The digest when pinned, else the tag, else null (the reference names neither). */
  public @Nullable Ref namedReference() {
    if (digest != null) {
      return Ref.of(digest);
    }
    return tag != null ? Ref.tag(tag) : null;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(repository.toString());
    if (tag != null) {
      s.append(':').append(tag);
    }
    if (digest != null) {
      s.append('@').append(digest);
    }
    return s.toString();
  }
}
