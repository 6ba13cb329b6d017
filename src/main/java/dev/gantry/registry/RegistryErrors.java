package dev.gantry.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's error body, {@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"…"}]}}, as a
 * value. Bodies that are not of that form (a proxy's HTML page) are kept as a short plain-text
 * reason.
 */
public record RegistryErrors(List<Entry> errors, String plainText) {

  private static final int MAX_TEXT = 200;

  public record Entry(String code, String message) {}

  public RegistryErrors {
    errors = List.copyOf(errors);
  }

  public static RegistryErrors parse(byte[] body) {
    if (body == null || body.length == 0) {
      return new RegistryErrors(List.of(), "");
    }
    try {
      JsonNode root = Json.readTree(body);
      if (root != null && root.path("errors").isArray()) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : root.get("errors")) {
          entries.add(new Entry(e.path("code").asText(""), e.path("message").asText("")));
        }
        return new RegistryErrors(entries, "");
      }
    } catch (IOException | RuntimeException notJson) {
      // fall through to plain text
    }
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return new RegistryErrors(
        List.of(), text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text);
  }

  public boolean has(String code) {
    return errors.stream().anyMatch(e -> e.code().equals(code));
  }

  /** {@code MANIFEST_UNKNOWN: manifest unknown; …}, or the plain text. */
  public String describe() {
    if (errors.isEmpty()) {
      return plainText;
    }
    List<String> parts = new ArrayList<>();
    for (Entry e : errors) {
      parts.add(e.message().isEmpty() ? e.code() : e.code() + ": " + e.message());
    }
    return String.join("; ", parts);
  }
}
