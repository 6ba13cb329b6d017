package dev.gantry.session;

import dev.gantry.layout.LayoutReference;
import dev.gantry.registry.ImageReference;
import org.jspecify.annotations.Nullable;

/**
 * An image a command line names, parsed once: in a registry ({@code REPOSITORY[:TAG][@DIGEST]}) or
 * in an OCI layout or archive ({@code oci:PATH[:TAG]}, {@code oci-archive:FILE[:TAG]}).
 */
public sealed interface Locator {
  /** Bad input, naming the value, when it is neither. */
  static Locator parse(String value) {
    return LayoutReference.isLayout(value)
        ? new InLayout(value, LayoutReference.parse(value))
        : new InRegistry(value, ImageReference.parse(value));
  }

  /** The reference as the command line spelled it. */
  String text();

  /** The registry the image is on, or null for a layout. */
  @Nullable String registry();

  record InRegistry(String text, ImageReference ref) implements Locator {
    @Override
    public String registry() {
      return ref.repository().registry();
    }
  }

  record InLayout(String text, LayoutReference ref) implements Locator {
    @Override
    public @Nullable String registry() {
      return null;
    }
  }
}
