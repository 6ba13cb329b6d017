package dev.gantry.action;

import dev.gantry.GantryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The action's inputs as the runner hands them over: {@code INPUT_<NAME>} with the name upper-cased
 * and its hyphens kept ({@code registry-password} → {@code INPUT_REGISTRY-PASSWORD}); an input left
 * empty is "".
 */
public record ActionInputs(
    String command,
    List<String> images,
    String from,
    List<String> to,
    String sha,
    String registry,
    String registryUsername,
    String registryPassword,
    String githubToken,
    String repository,
    boolean dryRun,
    String format,
    boolean draft,
    boolean prerelease) {

  public static ActionInputs read(Map<String, String> env) {
    String command = get(env, "command").toLowerCase(Locale.ROOT);
    if (command.isEmpty()) {
      command = "promote";
    }
    if (!List.of("promote", "release", "copy", "resolve", "check-commit", "rollback")
        .contains(command)) {
      throw GantryException.badInput(
          "invalid input command '"
              + command
              + "' (promote, release, copy, resolve, check-commit or rollback)");
    }
    return new ActionInputs(
        command,
        list(get(env, "images")),
        get(env, "from"),
        list(get(env, "to")),
        get(env, "sha"),
        get(env, "registry"),
        get(env, "registry-username"),
        get(env, "registry-password"),
        get(env, "github-token"),
        get(env, "repository"),
        bool(env, "dry-run"),
        get(env, "format"),
        bool(env, "draft"),
        bool(env, "prerelease"));
  }

  /**
   * The secret inputs, read raw so they can be masked before any input is validated or anything
   * printed.
   */
  public static List<String> secrets(Map<String, String> env) {
    List<String> s = new ArrayList<>();
    for (String name : List.of("registry-password", "github-token")) {
      String v = get(env, name);
      if (!v.isEmpty()) {
        s.add(v);
      }
    }
    return s;
  }

  /** One input by its action.yml name, stripped; "" when unset. */
  public static String get(Map<String, String> env, String name) {
    String v = env.get("INPUT_" + name.toUpperCase(Locale.ROOT));
    return v == null ? "" : v.strip();
  }

  /** Newline- or comma-separated, blanks dropped. */
  public static List<String> list(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split("[,\\n]")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  public static boolean bool(Map<String, String> env, String name) {
    String v = get(env, name).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "", "false" -> false;
      case "true" -> true;
      default ->
          throw GantryException.badInput("invalid input " + name + " '" + v + "' (true or false)");
    };
  }
}
