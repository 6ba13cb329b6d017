package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.registry.Repository;
import dev.gantry.session.RegistrySettings;
import dev.gantry.session.Session;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options every registry command shares, checked into {@link RegistrySettings}; the run's {@link
 * Session} is built from them.
 */
public final class RegistryOptions {
  @Option(
      names = "--username",
      paramLabel = "USER",
      description =
          "Registry user name (with --password-stdin), for one registry: the destination, or the one --creds-for names.")
  @Nullable String username;

  @Option(
      names = "--password-stdin",
      description = "Read the registry password or token from standard input.")
  boolean passwordStdin;

  @Option(
      names = "--creds-for",
      paramLabel = "HOST[:PORT]",
      description =
          "The registry --username/--password-stdin are for (default: the registry written to).")
  @Nullable String credsFor;

  @Option(
      names = "--insecure-registry",
      paramLabel = "HOST[:PORT]",
      description =
          "Speak plain HTTP to this registry (repeatable). Loopback registries always use HTTP.")
  List<String> insecure = new ArrayList<>();

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "8",
      description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--json", description = "Print the result as JSON on standard output.")
  boolean json;

  @Option(names = "--dry-run", description = "Read and plan, print the plan, write nothing.")
  boolean dryRun;

  /** Checks every option value; throws the one-line bad-input error before any I/O. */
  RegistrySettings settings() {
    if (jobs < 1 || jobs > 64) {
      throw GantryException.badInput("invalid --jobs " + jobs + " (1 to 64)");
    }
    for (String h : insecure) {
      try {
        Repository.checkRegistry(h);
      } catch (GantryException e) {
        throw GantryException.badInput(
            "invalid --insecure-registry '" + h + "' (expected HOST[:PORT], port 1 to 65535)");
      }
    }
    if (passwordStdin && (username == null || username.isEmpty())) {
      throw GantryException.badInput("--password-stdin needs --username");
    }
    if (username != null && !passwordStdin) {
      throw GantryException.badInput(
          "--username needs --password-stdin (passwords are never taken as arguments)");
    }
    if (credsFor != null) {
      try {
        Repository.checkRegistry(credsFor);
      } catch (GantryException e) {
        throw GantryException.badInput(
            "invalid --creds-for '" + credsFor + "' (expected HOST[:PORT], port 1 to 65535)");
      }
      if (username == null) {
        throw GantryException.badInput(
            "--creds-for " + credsFor + " needs --username and --password-stdin");
      }
    }
    return new RegistrySettings(username, credsFor, insecure, jobs);
  }

  /**
   * The prologue of a registry command: the options checked, the {@code --username} credentials
   * bound to the one of {@code registries} they are for (see {@link RegistrySettings#login}), the
   * session opened. All before any I/O.
   */
  Session open(Environment env, List<String> registries, @Nullable String written) {
    RegistrySettings settings = settings();
    return Session.open(env.surroundings(), settings, settings.login(registries, written));
  }

  /** The same for a command on one registry ({@code registry}; null: none, only layouts). */
  Session open(Environment env, @Nullable String registry) {
    return open(env, registry == null ? List.of() : List.of(registry), registry);
  }

  /** The same for a command over images: the credentials are for the registry they are on. */
  Session openForImages(Environment env, List<PromoteRequest.Image> images) {
    RegistrySettings settings = settings();
    return Session.open(env.surroundings(), settings, settings.loginForImages(images));
  }
}
