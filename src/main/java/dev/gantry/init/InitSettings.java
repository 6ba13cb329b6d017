package dev.gantry.init;

import dev.gantry.GantryException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@code .github/gantry.yml} says, checked: the one image list, the registry, the branch,
 * deploy on or off.
 */
public record InitSettings(
    String defaultBranch, String registry, boolean deploy, List<ImageSpec> images) {
  public static final String DEFAULT_REGISTRY = "ghcr.io";
  private static final Pattern REGISTRY = Pattern.compile("[a-z0-9][a-z0-9.-]*(:[0-9]+)?");
  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._/-]*");

  public InitSettings {
    checkBranch(defaultBranch);
    registry = registry == null ? DEFAULT_REGISTRY : registry;
    if (!REGISTRY.matcher(registry).matches()) {
      throw GantryException.badInput(
          "registry '" + registry + "' is not a registry host, e.g. ghcr.io");
    }
    if (images == null || images.isEmpty()) {
      throw GantryException.badInput("no images: the image list is empty");
    }
    images = List.copyOf(images);
    Set<String> seen = new HashSet<>();
    for (ImageSpec image : images) {
      String last = image.name().substring(image.name().lastIndexOf('/') + 1);
      if (!seen.add(last)) {
        throw GantryException.badInput(
            "image "
                + image.name()
                + " is listed twice (build-images names each image by "
                + "its last path segment)");
      }
    }
    for (ImageSpec image : images) {
      for (String dependency : image.after()) {
        if (dependency.equals(image.name())
            || images.stream().noneMatch(i -> i.name().equals(dependency))) {
          throw GantryException.badInput(
              "image "
                  + image.name()
                  + ": after '"
                  + dependency
                  + "' is not another image of the list");
        }
      }
    }
  }

  /**
   * As read or asked for, where the branch and registry may be absent: checked in the constructor's
   * order.
   */
  public static InitSettings of(
      @Nullable String defaultBranch,
      @Nullable String registry,
      boolean deploy,
      List<ImageSpec> images) {
    return new InitSettings(
        checkBranch(defaultBranch), registry == null ? DEFAULT_REGISTRY : registry, deploy, images);
  }

  private static String checkBranch(@Nullable String defaultBranch) {
    if (defaultBranch == null
        || !BRANCH.matcher(defaultBranch).matches()
        || defaultBranch.contains("..")
        || defaultBranch.endsWith("/")
        || defaultBranch.endsWith(".lock")
        || defaultBranch.contains("//")) {
      throw GantryException.badInput(
          "default branch '" + defaultBranch + "' is not a plain branch name");
    }
    return defaultBranch;
  }
}
