package dev.gantry.init;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.GantryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code .github/gantry.yml}: read strictly (an unknown key or a wrong type is bad input naming it)
 * and written in one canonical form, so writing what was read gives the same bytes.
 */
public final class GantryFile {
  public static final String PATH = ".github/gantry.yml";
  private static final Set<String> TOP = Set.of("default-branch", "registry", "deploy", "images");
  private static final Set<String> IMAGE =
      Set.of("name", "context", "dockerfile", "after", "build-args", "target", "platforms");
  private static final ObjectMapper JSON = new ObjectMapper();

  private GantryFile() {}

  public static InitSettings parse(String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      throw GantryException.badInput(PATH + " is not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw GantryException.badInput(PATH + " is not a YAML mapping");
    }
    unknownKeys(root, TOP, PATH);
    JsonNode images = root.path("images");
    if (!images.isArray()) {
      throw GantryException.badInput(PATH + ": images must be a list");
    }
    List<ImageSpec> specs = new ArrayList<>();
    for (JsonNode image : images) {
      if (!image.isObject()) {
        throw GantryException.badInput(
            PATH + ": image '" + image.asText() + "' must be a mapping with a name");
      }
      String name = text(image, "name", "images");
      unknownKeys(image, IMAGE, PATH + " image " + name);
      String where = "image " + name;
      specs.add(
          ImageSpec.of(
              name,
              text(image, "context", where),
              text(image, "dockerfile", where),
              list(image.get("after"), where),
              map(image.get("build-args"), where),
              text(image, "target", where),
              text(image, "platforms", where)));
    }
    JsonNode deploy = root.get("deploy");
    if (deploy != null && !deploy.isBoolean()) {
      throw GantryException.badInput(
          PATH + ": deploy '" + deploy.asText() + "' is not true or false");
    }
    return InitSettings.of(
        text(root, "default-branch", PATH),
        text(root, "registry", PATH),
        deploy == null || deploy.booleanValue(),
        specs);
  }

  /**
   * The canonical text; every string JSON-quoted (valid YAML, and nothing in a value is read as
   * YAML syntax).
   */
  public static String write(InitSettings s) {
    StringBuilder out = new StringBuilder();
    out.append(
            "# Gantry's settings, written once: `gantry init` renders .github/workflows/ from this file.\n")
        .append(
            "# Edit it, then run `gantry init` again (`gantry init --check` fails when the workflows drifted).\n")
        .append("default-branch: ")
        .append(quote(s.defaultBranch()))
        .append('\n')
        .append("registry: ")
        .append(quote(s.registry()))
        .append('\n')
        .append("deploy: ")
        .append(s.deploy())
        .append('\n')
        .append("images:\n");
    for (ImageSpec i : s.images()) {
      out.append("  - name: ").append(quote(i.name())).append('\n');
      field(out, "context", i.context());
      field(out, "dockerfile", i.dockerfile());
      if (!i.after().isEmpty()) {
        out.append("    after: [")
            .append(String.join(", ", i.after().stream().map(GantryFile::quote).toList()))
            .append("]\n");
      }
      if (!i.buildArgs().isEmpty()) {
        out.append("    build-args:\n");
        i.buildArgs()
            .forEach(
                (k, v) ->
                    out.append("      ").append(k).append(": ").append(quote(v)).append('\n'));
      }
      field(out, "target", i.target());
      field(out, "platforms", i.platforms());
    }
    return out.toString();
  }

  static String quote(String value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void field(StringBuilder out, String key, @Nullable String value) {
    if (value != null) {
      out.append("    ").append(key).append(": ").append(quote(value)).append('\n');
    }
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String where) {
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!known.contains(key)) {
                throw GantryException.badInput(
                    where
                        + ": unknown key '"
                        + key
                        + "' (known: "
                        + String.join(", ", known.stream().sorted().toList())
                        + ")");
              }
            });
  }

  private static @Nullable String text(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode() || value.isBoolean()) {
      throw GantryException.badInput(where + ": " + key + " '" + value + "' is not a string");
    }
    return value.asText();
  }

  private static @Nullable List<String> list(@Nullable JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw GantryException.badInput(
          where + ": after '" + node.asText() + "' is not a list of image names");
    }
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static @Nullable Map<String, String> map(@Nullable JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw GantryException.badInput(
          where + ": build-args '" + node.asText() + "' is not a mapping");
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw GantryException.badInput(
                    where + ": build-arg " + e.getKey() + " is not a string");
              }
              out.put(e.getKey(), e.getValue().asText());
            });
    return out;
  }
}
