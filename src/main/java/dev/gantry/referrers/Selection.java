package dev.gantry.referrers;

import dev.gantry.GantryException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which attachments a copy carries, from {@code --referrers}: {@code all}, {@code none}, or a
 * comma-separated list of artifact types (cosign's tags count as {@code
 * application/vnd.dev.cosign.artifact.<sig|att|sbom>.v1+json}). {@code types} is empty for all and
 * for none.
 */
public record Selection(boolean all, Set<String> types) {
  public static final Selection ALL = new Selection(true, Set.of());
  public static final Selection NONE = new Selection(false, Set.of());

  // RFC 6838 type/subtype, as artifactType values are, with optional parameters (Sigstore's bundle
  // type has been
  // written application/vnd.dev.sigstore.bundle+json;version=0.3).
  private static final Pattern MEDIA_TYPE =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(;[A-Za-z0-9._-]+=[A-Za-z0-9._+-]+)*");

  public Selection {
    types = Set.copyOf(types);
  }

  public static Selection parse(String value) {
    String v = value == null ? "" : value.trim();
    if (v.equals("all")) {
      return ALL;
    }
    if (v.equals("none")) {
      return NONE;
    }
    Set<String> types = new LinkedHashSet<>();
    for (String part : v.split(",", -1)) {
      String type = part.trim();
      if (!MEDIA_TYPE.matcher(type).matches()) {
        throw GantryException.badInput(
            "invalid --referrers value '"
                + value
                + "': expected all, none or artifact types such as application/spdx+json (comma-separated)");
      }
      types.add(type);
    }
    return new Selection(false, types);
  }

  public boolean none() {
    return !all && types.isEmpty();
  }

  public boolean includes(String artifactType) {
    return all || types.contains(artifactType);
  }
}
