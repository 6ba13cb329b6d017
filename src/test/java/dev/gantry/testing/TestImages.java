package dev.gantry.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real container images without Docker: an OCI image layout on disk (index, manifests, configs,
 * gzip tar layers with random content), pushed with skopeo. Same seed, same bytes, same digests;
 * different seeds give different images, so a test can build "old" and "new" images and tell them
 * apart.
 */
public final class TestImages {

  /**
   * The media type family; DOCKER is schema2 (manifest list, v2 manifest, container config,
   * tar.gzip).
   */
  public enum Format {
    OCI(
        "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip"),
    DOCKER(
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.container.image.v1+json",
        "application/vnd.docker.image.rootfs.diff.tar.gzip");

    public final String index;
    public final String manifest;
    public final String config;
    public final String layer;

    Format(String index, String manifest, String config, String layer) {
      this.index = index;
      this.manifest = manifest;
      this.config = config;
      this.layer = layer;
    }
  }

  public record Platform(String os, String architecture) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64");
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64");
  }

  /**
   * A written layout. {@code tag} is its ref name in index.json, or null for Docker media types,
   * which skopeo's oci: transport skips when looking a tag up (it then takes the layout's only
   * image).
   */
  public record Layout(Path dir, String tag, String digest, String mediaType, byte[] manifest) {}

  public static final String LAYOUT_TAG = "gantry-test";
  public static final int DEFAULT_LAYERS = 3;
  public static final int DEFAULT_LAYER_BYTES = 4096;

  private TestImages() {}

  /** An OCI index of linux/amd64 and linux/arm64, three layers each. */
  public static Layout multiArch(Path dir, long seed) {
    return multiArch(
        dir,
        seed,
        Format.OCI,
        List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64),
        DEFAULT_LAYERS,
        DEFAULT_LAYER_BYTES);
  }

  /**
   * An OCI index of linux/amd64 and linux/arm64 whose image configs carry {@code labels} (as docker
   * build --label).
   */
  public static Layout multiArch(Path dir, long seed, Map<String, String> labels) {
    return multiArch(
        dir,
        seed,
        Format.OCI,
        List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64),
        DEFAULT_LAYERS,
        DEFAULT_LAYER_BYTES,
        labels);
  }

  public static Layout multiArch(
      Path dir, long seed, Format format, List<Platform> platforms, int layers, int layerBytes) {
    return multiArch(dir, seed, format, platforms, layers, layerBytes, Map.of());
  }

  private static Layout multiArch(
      Path dir,
      long seed,
      Format format,
      List<Platform> platforms,
      int layers,
      int layerBytes,
      Map<String, String> labels) {
    OciLayoutWriter writer = new OciLayoutWriter(dir);
    ObjectNode index = OciLayoutWriter.JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", format.index);
    ArrayNode manifests = index.putArray("manifests");
    for (int i = 0; i < platforms.size(); i++) {
      Platform platform = platforms.get(i);
      ObjectNode descriptor =
          image(writer, new Random(seed * 1_000 + i), format, platform, layers, layerBytes, labels)
              .descriptor()
              .deepCopy();
      descriptor
          .putObject("platform")
          .put("architecture", platform.architecture())
          .put("os", platform.os());
      manifests.add(descriptor);
    }
    byte[] bytes = OciLayoutWriter.bytes(index);
    return finish(dir, writer, format, new Written(writer.blob(format.index, bytes), bytes));
  }

  /** A single linux/amd64 OCI image manifest with three layers. */
  public static Layout singlePlatform(Path dir, long seed) {
    return singlePlatform(
        dir, seed, Format.OCI, Platform.LINUX_AMD64, DEFAULT_LAYERS, DEFAULT_LAYER_BYTES);
  }

  /** A single image manifest; {@code Format.DOCKER} gives a Docker v2 schema2 manifest. */
  public static Layout singlePlatform(
      Path dir, long seed, Format format, Platform platform, int layers, int layerBytes) {
    OciLayoutWriter writer = new OciLayoutWriter(dir);
    return finish(
        dir,
        writer,
        format,
        image(writer, new Random(seed * 1_000), format, platform, layers, layerBytes, Map.of()));
  }

  /**
   * A single linux/amd64 OCI image whose config carries {@code labels} (as docker build --label).
   */
  public static Layout singlePlatform(Path dir, long seed, Map<String, String> labels) {
    OciLayoutWriter writer = new OciLayoutWriter(dir);
    return finish(
        dir,
        writer,
        Format.OCI,
        image(
            writer,
            new Random(seed * 1_000),
            Format.OCI,
            Platform.LINUX_AMD64,
            DEFAULT_LAYERS,
            DEFAULT_LAYER_BYTES,
            labels));
  }

  /**
   * Pushes the layout's image (all platforms, digests preserved) to {@code repo:tag}; returns the
   * pushed digest.
   */
  public static String push(
      Path layout, String layoutTag, RegistryServer registry, String repo, String tag) {
    try (Skopeo skopeo = Skopeo.isolated()) {
      return skopeo.pushLayout(
          layout, layoutTag, registry.hostPort() + "/" + repo + ":" + tag, registry.login());
    }
  }

  public static String push(Layout layout, RegistryServer registry, String repo, String tag) {
    return push(layout.dir(), layout.tag(), registry, repo, tag);
  }

  /** A blob just written: its descriptor and its bytes. */
  private record Written(ObjectNode descriptor, byte[] bytes) {}

  /** Writes config and layers of one image, then its manifest. */
  private static Written image(
      OciLayoutWriter writer,
      Random random,
      Format format,
      Platform platform,
      int layers,
      int layerBytes,
      Map<String, String> labels) {
    ObjectNode manifest = OciLayoutWriter.JSON.createObjectNode();
    ObjectNode config = OciLayoutWriter.JSON.createObjectNode();
    config.put("created", "2025-01-01T00:00:00Z");
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    ObjectNode runConfig = config.putObject("config");
    runConfig.putArray("Env").add("GANTRY_TEST_IMAGE=" + random.nextLong());
    if (!labels.isEmpty()) {
      ObjectNode l = runConfig.putObject("Labels");
      labels.forEach(l::put);
    }
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    ArrayNode history = config.putArray("history");
    ArrayNode layerDescriptors = OciLayoutWriter.JSON.createArrayNode();
    for (int i = 0; i < layers; i++) {
      byte[] content = new byte[layerBytes];
      random.nextBytes(content);
      byte[] tar = TarGz.tar("gantry/" + platform.architecture() + "-layer-" + i + ".bin", content);
      diffIds.add(Skopeo.sha256(tar)); // diff_id is the digest of the uncompressed tar
      history
          .addObject()
          .put("created", "2025-01-01T00:00:00Z")
          .put("created_by", "gantry test layer " + i);
      layerDescriptors.add(writer.blob(format.layer, TarGz.gzip(tar)));
    }
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", format.manifest);
    manifest.set("config", writer.blob(format.config, OciLayoutWriter.bytes(config)));
    manifest.set("layers", layerDescriptors);
    byte[] bytes = OciLayoutWriter.bytes(manifest);
    return new Written(writer.blob(format.manifest, bytes), bytes);
  }

  private static Layout finish(Path dir, OciLayoutWriter writer, Format format, Written top) {
    writer.finish(top.descriptor(), LAYOUT_TAG);
    return new Layout(
        dir,
        format == Format.OCI ? LAYOUT_TAG : null,
        top.descriptor().get("digest").asText(),
        top.descriptor().get("mediaType").asText(),
        top.bytes());
  }
}
