package dev.gantry.session;

import dev.gantry.GantryException;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.registry.Repository;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A command's registry options, checked: {@code username} is the user whose password standard input
 * holds (null: none given), {@code credsFor} the registry the options name for it (or null), {@code
 * insecure} the registries spoken to in plain HTTP, {@code jobs} the requests in flight at once.
 */
public record RegistrySettings(
    @Nullable String username, @Nullable String credsFor, List<String> insecure, int jobs) {
  public RegistrySettings {
    insecure = List.copyOf(insecure);
  }

  /**
   * The {@code --username} credentials and the one registry they are offered to; the password is
   * read from standard input when the registry client is built.
   */
  public record Login(String username, String registry) {}

  /**
   * Decides which registry the {@code --username} credentials belong to, before any I/O: the one
   * {@code --creds-for} names (which must be among {@code registries}, the registries of the
   * command), else {@code written}, the registry the command writes to. They are offered to no
   * other registry. Null when no user name was given.
   */
  public @Nullable Login login(List<String> registries, @Nullable String written) {
    String user = username;
    if (user == null) {
      return null;
    }
    String owner = credsFor;
    if (owner != null) {
      return new Login(
          user,
          registries.stream()
              .filter(r -> sameRegistry(r, owner))
              .findFirst()
              .orElseThrow(
                  () ->
                      GantryException.badInput(
                          "--creds-for "
                              + owner
                              + " names no registry of this command ("
                              + String.join(", ", new LinkedHashSet<>(registries))
                              + ")")));
    } else if (written != null) {
      return new Login(user, written);
    } else {
      throw GantryException.badInput("--username: no registry in this command to use it for");
    }
  }

  /**
   * For the commands over images (promote, release, resolve, rollback): the registry the images are
   * on, when they are all on one (else --creds-for must say).
   */
  public @Nullable Login loginForImages(List<PromoteRequest.Image> images) {
    if (username == null) {
      return null;
    }
    List<String> registries =
        images.stream().flatMap(i -> i.repository().stream()).map(Repository::registry).toList();
    LinkedHashSet<String> distinct = new LinkedHashSet<>(registries);
    if (distinct.size() > 1 && credsFor == null) {
      throw GantryException.badInput(
          "--username: the images are on "
              + distinct.size()
              + " registries ("
              + String.join(", ", distinct)
              + "): name the one the credentials are for with --creds-for HOST");
    }
    return login(registries, distinct.isEmpty() ? null : distinct.iterator().next());
  }

  static boolean sameRegistry(String a, String b) {
    return hubAlias(a).equalsIgnoreCase(hubAlias(b));
  }

  private static String hubAlias(String registry) {
    return switch (registry.toLowerCase(Locale.ROOT)) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" ->
          Repository.DOCKER_HUB;
      default -> registry;
    };
  }
}
