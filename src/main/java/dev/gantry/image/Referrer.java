package dev.gantry.image;

import java.util.Map;

/** TEMPORARY shim of the referrers contract (REFERRERS-CONTRACT.md); replaced by ref16's class at the merge. */
public record Referrer(Descriptor descriptor, String artifactType, Map<String, String> annotations) {
  public Referrer {
    annotations = Map.copyOf(annotations);
  }
}
