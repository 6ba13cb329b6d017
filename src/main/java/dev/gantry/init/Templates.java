package dev.gantry.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shipped templates, copied from workflows-templates/ into the jar at build time (see the pom's
 * resources).
 */
final class Templates {
  static final List<String> FILES =
      List.of(
          "stack-tests.yml",
          "docker-scan-and-promote.yml",
          "release-and-deploy.yml",
          "sbom-and-supply-chain.yml");

  private Templates() {}

  static String read(String file) {
    try (InputStream in = Templates.class.getResourceAsStream("templates/" + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "the template " + file + " is not in the jar (build with ./mvnw package)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
