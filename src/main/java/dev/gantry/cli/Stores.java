package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.copy.ImageCopier.Endpoint;
import dev.gantry.http.HttpClients;
import dev.gantry.layout.LayoutReference;
import dev.gantry.layout.OciArchive;
import dev.gantry.layout.OciLayout;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.registry.Endpoints;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.Repository;
import dev.gantry.store.ImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Opens the store behind a reference: a registry repository (through one registry client, built
 * only when a registry is named, so a layout-only run sets up no networking at all, and a
 * plain-HTTP one no TLS) or an OCI layout or archive. Closing it removes the temporary directories
 * archives were unpacked into.
 */
final class Stores implements AutoCloseable {
  private final RegistryOptions options;
  private final Environment env;
  private final List<Path> unpacked = new ArrayList<>();
  private @Nullable RegistryClient client;

  Stores(RegistryOptions options, Environment env) {
    this.options = options;
    this.env = env;
  }

  /**
   * A copy source: a registry image (tag defaults to latest), a layout or archive image (tag
   * defaults to its only one).
   */
  Endpoint source(String value) {
    if (LayoutReference.isLayout(value)) {
      LayoutReference ref = LayoutReference.parse(value);
      OciLayout layout = ref.archive() ? unpack(ref) : OciLayout.open(ref.path(), ref.name(), true);
      return new Endpoint(layout, ref.tag() != null ? ref.tag() : layout.onlyImage());
    }
    ImageReference ref = ImageReference.parse(value);
    return new Endpoint(
        client(ref.repository()).forPull(ref.repository()), ref.manifestReference());
  }

  /**
   * A copy destination; the reference is null when the value names none (the copier then keeps the
   * source's).
   */
  Endpoint destination(String value, String source, boolean dryRun) {
    if (LayoutReference.isLayout(value)) {
      LayoutReference ref = LayoutReference.parse(value);
      if (ref.archive()) {
        throw GantryException.badInput(
            "destination '" + value + "' is an archive, which is read-only: use oci:PATH");
      }
      OciLayout layout =
          !dryRun
              ? OciLayout.openOrCreate(ref.path(), ref.name())
              : OciLayout.willBeCreated(ref.path())
                  ? emptyStandIn(ref)
                  : OciLayout.open(ref.path(), ref.name(), true);
      return new Endpoint(layout, ref.tag());
    }
    ImageReference ref = ImageReference.parse(value);
    Repository repo = ref.repository();
    Repository[] mountFrom =
        LayoutReference.isLayout(source)
            ? new Repository[0]
            : new Repository[] {ImageReference.parse(source).repository()};
    String reference = ref.digest() != null ? ref.digest().toString() : ref.tag();
    return new Endpoint(
        dryRun ? client(repo).forPull(repo) : client(repo).forPush(repo, mountFrom), reference);
  }

  /** The store to promote in: the layout, or the repository with push rights asked for up front. */
  ImageStore forPromote(PromoteRequest.Image image, boolean push) {
    LayoutReference layout = image.layout();
    if (layout != null) {
      return OciLayout.open(layout.path(), layout.name(), !push);
    }
    Repository repo =
        Objects.requireNonNull(image.repository(), "an image is a layout or a repository");
    return push ? client(repo).forPush(repo) : client(repo).forPull(repo);
  }

  /**
   * A dry run into a layout that does not exist yet: an empty stand-in in a temporary directory,
   * nothing created there.
   */
  private OciLayout emptyStandIn(LayoutReference ref) {
    Path dir;
    try {
      dir = Files.createTempDirectory("gantry-dry-run-").resolve("layout");
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED, "dry run into " + ref.name() + ": " + e.getMessage(), e);
    }
    unpacked.add(dir.getParent());
    OciLayout.openOrCreate(dir, ref.name());
    return OciLayout.open(dir, ref.name(), true);
  }

  private OciLayout unpack(LayoutReference ref) {
    Path dir = OciArchive.unpack(ref.path(), ref.name());
    unpacked.add(dir);
    return OciLayout.open(dir, ref.name(), true);
  }

  /**
   * The registry client; TLS starts being set up in the background as soon as an HTTPS registry is
   * named.
   */
  private synchronized RegistryClient client(Repository repository) {
    if (!new Endpoints(new LinkedHashSet<>(options.insecure)).isPlainHttp(repository.registry())) {
      HttpClients.prepareTls();
    }
    if (client == null) {
      client = options.client(env);
    }
    return client;
  }

  @Override
  public void close() {
    for (Path dir : unpacked) {
      OciArchive.delete(dir); // a loop: a method reference would load OciArchive on every run
    }
  }
}
