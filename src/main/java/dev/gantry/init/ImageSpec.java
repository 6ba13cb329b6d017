package dev.gantry.init;

import dev.gantry.GantryException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One image of {@code .github/gantry.yml}: what build-images takes for it. Only {@code name} is
 * required; the other fields are passed through to build-images' JSON as they are (absent ones keep
 * build-images' defaults).
 */
public record ImageSpec(
    String name,
    @Nullable String context,
    @Nullable String dockerfile,
    List<String> after,
    Map<String, String> buildArgs,
    @Nullable String target,
    @Nullable String platforms) {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");

  /**
   * Paths, targets and platforms: no spaces, quotes, expressions or YAML/JSON syntax can reach the
   * workflows.
   */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/,:@+=-]+");

  public ImageSpec {
    checkName(name);
    plain(name, "context", context);
    plain(name, "dockerfile", dockerfile);
    plain(name, "target", target);
    plain(name, "platforms", platforms);
    after = List.copyOf(after);
    buildArgs = Map.copyOf(new TreeMap<>(buildArgs));
    for (var arg : buildArgs.entrySet()) {
      if (!arg.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw GantryException.badInput(
            "image " + name + ": build-arg name '" + arg.getKey() + "' is not a variable name");
      }
      String value = arg.getValue();
      if (value == null
          || value.contains("${{")
          || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw GantryException.badInput(
            "image "
                + name
                + ": build-arg "
                + arg.getKey()
                + " value '"
                + value
                + "' is missing, has a control character or a ${{ expression");
      }
    }
  }

  /**
   * What {@code --images a,b} means: context NAME's last path segment (dockerfile
   * CONTEXT/Dockerfile by default).
   */
  public static ImageSpec named(String name) {
    checkName(name);
    return new ImageSpec(
        name, name.substring(name.lastIndexOf('/') + 1), null, List.of(), Map.of(), null, null);
  }

  /**
   * As read from gantry.yml, where every field may be absent: the name is checked first, as by the
   * constructor.
   */
  static ImageSpec of(
      @Nullable String name,
      @Nullable String context,
      @Nullable String dockerfile,
      @Nullable List<String> after,
      @Nullable Map<String, String> buildArgs,
      @Nullable String target,
      @Nullable String platforms) {
    return new ImageSpec(
        checkName(name),
        context,
        dockerfile,
        after == null ? List.of() : after,
        buildArgs == null ? Map.of() : buildArgs,
        target,
        platforms);
  }

  private static String checkName(@Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw GantryException.badInput(
          "image name '" + name + "' is not a lower-case repository name");
    }
    return name;
  }

  /** build-args as a sorted map, so rendering is byte-stable. */
  @Override
  public Map<String, String> buildArgs() {
    return new TreeMap<>(buildArgs);
  }

  private static void plain(String image, String field, @Nullable String value) {
    if (value != null && !PLAIN.matcher(value).matches()) {
      throw GantryException.badInput(
          "image "
              + image
              + ": "
              + field
              + " '"
              + value
              + "' may hold only letters, digits and ._/,:@+=-");
    }
  }
}
