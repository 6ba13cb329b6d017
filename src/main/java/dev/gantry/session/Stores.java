package dev.gantry.session;

import dev.gantry.GantryException;
import dev.gantry.copy.ImageCopier.Endpoint;
import dev.gantry.image.Ref;
import dev.gantry.layout.LayoutReference;
import dev.gantry.layout.OciArchive;
import dev.gantry.layout.OciLayout;
import dev.gantry.promote.Location;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.Repository;
import dev.gantry.store.ImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the store behind a reference: a registry repository (through the session's one registry
 * client, asked for only when a registry is named) or an OCI layout or archive. Closing it removes
 * the temporary directories archives were unpacked into.
 */
final class Stores implements AutoCloseable {
  /** The registry client for a repository, built on first use. */
  interface Clients {
    RegistryClient client(Repository repository);
  }

  private final Clients clients;
  private final List<Path> unpacked = new ArrayList<>();

  Stores(Clients clients) {
    this.clients = clients;
  }

  /**
   * A copy source: a registry image (tag defaults to latest), a layout or archive image (tag
   * defaults to its only one).
   */
  Endpoint source(Locator source) {
    if (source instanceof Locator.InLayout l) {
      LayoutReference ref = l.ref();
      OciLayout layout = ref.archive() ? unpack(ref) : OciLayout.open(ref.path(), ref.name(), true);
      return new Endpoint(layout, ref.tag() != null ? Ref.tag(ref.tag()) : layout.onlyImage());
    }
    ImageReference ref = ((Locator.InRegistry) source).ref();
    return new Endpoint(
        client(ref.repository()).forPull(ref.repository()), ref.manifestReference());
  }

  /**
   * A copy destination; the reference is null when the value names none (the copier then keeps the
   * source's). Blobs are mounted from the source's repository when it is on a registry.
   */
  Endpoint destination(Locator destination, Locator source, boolean dryRun) {
    if (destination instanceof Locator.InLayout l) {
      LayoutReference ref = l.ref();
      if (ref.archive()) {
        throw GantryException.badInput(
            "destination '" + l.text() + "' is an archive, which is read-only: use oci:PATH");
      }
      OciLayout layout =
          !dryRun
              ? OciLayout.openOrCreate(ref.path(), ref.name())
              : OciLayout.willBeCreated(ref.path())
                  ? emptyStandIn(ref)
                  : OciLayout.open(ref.path(), ref.name(), true);
      return new Endpoint(layout, ref.tag() != null ? Ref.tag(ref.tag()) : null);
    }
    ImageReference ref = ((Locator.InRegistry) destination).ref();
    Repository repo = ref.repository();
    Repository[] mountFrom =
        source instanceof Locator.InRegistry r
            ? new Repository[] {r.ref().repository()}
            : new Repository[0];
    Ref reference = ref.namedReference();
    return new Endpoint(
        dryRun ? client(repo).forPull(repo) : client(repo).forPush(repo, mountFrom), reference);
  }

  /** The store to promote in: the layout, or the repository with push rights asked for up front. */
  ImageStore forPromote(PromoteRequest.Image image, boolean push) {
    if (image.location() instanceof Location.Layout at) {
      return OciLayout.open(at.layout().path(), at.layout().name(), !push);
    }
    Repository repo = image.repository().orElseThrow();
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

  private RegistryClient client(Repository repository) {
    return clients.client(repository);
  }

  @Override
  public void close() {
    for (Path dir : unpacked) {
      OciArchive.delete(dir); // a loop: a method reference would load OciArchive on every run
    }
  }
}
