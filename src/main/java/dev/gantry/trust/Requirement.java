package dev.gantry.trust;

import dev.gantry.GantryException;
import dev.gantry.image.CosignTags;
import dev.gantry.image.Digest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code --require-referrer TYPE}: what must be attached to the source image before anything is
 * written. Three forms, told apart by their shape, never by guessing:
 *
 * <ul>
 *   <li>an artifact type ({@code application/spdx+json}): an OCI referrer (referrers API, fallback
 *       tag or layout index) with exactly that {@code artifactType};
 *   <li>a predicate type URL ({@code https://slsa.dev/provenance/v1}): a Sigstore bundle referrer
 *       whose {@code dev.sigstore.bundle.predicateType} annotation is that URL (what {@code
 *       actions/attest-build-provenance} and {@code cosign attest --new-bundle-format} write);
 *   <li>{@code cosign.sig}, {@code cosign.att}, {@code cosign.sbom}: cosign's legacy tag {@code
 *       sha256-<hex>.sig}, {@code .att} or {@code .sbom} in the same repository, or a referrer of
 *       the artifactType cosign's OCI 1.1 mode gives the same thing ({@code
 *       application/vnd.dev.cosign.artifact.sig.v1+json}; that type names this form too).
 * </ul>
 */
public sealed interface Requirement {
  /** The form the user wrote, for messages. */
  String label();

  record ArtifactType(String mediaType) implements Requirement {
    @Override
    public String label() {
      return mediaType;
    }
  }

  record PredicateType(String url) implements Requirement {
    /** The annotation @sigstore/oci and cosign put on a bundle referrer. */
    public static final String ANNOTATION = "dev.sigstore.bundle.predicateType";

    @Override
    public String label() {
      return url;
    }
  }

  /** {@code suffix} is sig, att or sbom: the tag {@code sha256-<hex>.<suffix>}. */
  record CosignTag(String suffix) implements Requirement {
    @Override
    public String label() {
      return "cosign." + suffix;
    }

    /**
     * The artifactType cosign gives the same thing in its OCI 1.1 mode (a referrer instead of a
     * tag).
     */
    public String artifactType() {
      return CosignTags.artifactType(suffix);
    }

    /** cosign's tag for what is attached to {@code digest}: {@code sha256-<hex>.sig}. */
    public String tagFor(Digest digest) {
      return CosignTags.tag(digest, suffix);
    }
  }

  /** What a TYPE may be, for bad-input messages. */
  String FORMS =
      "(an artifact type such as application/spdx+json, a predicate type URL such as "
          + "https://slsa.dev/provenance/v1, or cosign.sig, cosign.att, cosign.sbom)";

  /**
   * RFC 6838 type/subtype, as the OCI image spec constrains artifactType, with optional parameters
   * (the Sigstore bundle's newer form is {@code
   * application/vnd.dev.sigstore.bundle+json;version=0.3}).
   */
  Pattern MEDIA_TYPE =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
              + "(;[A-Za-z0-9!#$&^_.+-]{1,127}=[A-Za-z0-9!#$&^_.+-]{1,127}){0,8}");

  Pattern URL = Pattern.compile("https?://[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]{1,2000}");

  static Requirement parse(String value) {
    String v = value == null ? "" : value.strip();
    switch (v.toLowerCase(Locale.ROOT)) {
      case "cosign.sig", "cosign.att", "cosign.sbom" -> {
        return new CosignTag(v.toLowerCase(Locale.ROOT).substring("cosign.".length()));
      }
      default -> {
        // fall through to the shapes below
      }
    }
    if (URL.matcher(v).matches()) {
      return new PredicateType(v);
    }
    if (MEDIA_TYPE.matcher(v).matches()) {
      for (String suffix : new String[] {"sig", "att", "sbom"}) {
        if (new CosignTag(suffix).artifactType().equalsIgnoreCase(v)) {
          return new CosignTag(suffix); // the same thing in either of cosign's two forms
        }
      }
      return new ArtifactType(v);
    }
    throw GantryException.badInput("invalid --require-referrer '" + value + "' " + FORMS);
  }
}
