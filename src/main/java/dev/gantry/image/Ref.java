package dev.gantry.image;

import dev.gantry.GantryException;
import org.jspecify.annotations.Nullable;

/**
 * What names a manifest within a store: a tag or a digest, as it goes after {@code /manifests/}.
 * Told apart once, where the text enters ({@link #parse}); past that, the type says which it is.
 * {@link #toString} is the wire form: {@code latest} or {@code sha256:…}.
 */
public sealed interface Ref permits Ref.Tag, Ref.ByDigest {
  /** A tag the program names itself (already checked, or made by a tag scheme). */
  static Tag tag(String name) {
    return new Tag(name);
  }

  static ByDigest of(Digest digest) {
    return new ByDigest(digest);
  }

  /**
   * A tag or digest as a user wrote it: a digest when it holds a colon ({@code sha256:…}), else a
   * tag. Bad input, naming the value, when it is neither.
   */
  static Ref parse(String value) {
    return value.indexOf(':') >= 0 ? of(Digest.parse(value)) : Tag.parse(value);
  }

  /**
   * {@code name:tag} or {@code name@digest}: this reference within the store named {@code name}.
   */
  String in(String name);

  /**
   * A tag. The constructor holds only what keeps it apart from a digest (not empty, no colon); the
   * tag grammar is checked where a tag enters ({@link #parse}), since a layout's index may carry
   * names a registry would refuse.
   */
  record Tag(String name) implements Ref {
    public Tag {
      if (name.isEmpty() || name.indexOf(':') >= 0) {
        throw new IllegalArgumentException("not a tag: '" + name + "'");
      }
    }

    /** Whether {@code value} is a tag by the distribution spec's grammar. */
    public static boolean isValid(String value) {
      // [A-Za-z0-9_][A-Za-z0-9._-]{0,127}, as a loop: no pattern is compiled on a promote's path.
      if (value.isEmpty() || value.length() > 128) {
        return false;
      }
      char first = value.charAt(0);
      if (first == '.' || first == '-') {
        return false;
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        boolean ok =
            (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == '-';
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    /**
     * A tag as a user wrote it; bad input, naming the value and the grammar, when it is not one.
     */
    public static Tag parse(@Nullable String value) {
      if (value == null || !isValid(value)) {
        throw GantryException.badInput(
            "invalid tag '" + value + "' (allowed: [A-Za-z0-9_][A-Za-z0-9._-]{0,127})");
      }
      return new Tag(value);
    }

    @Override
    public String in(String store) {
      return store + ":" + name;
    }

    // equals, hashCode and toString written out, as in Digest: a record's generated ones link
    // java.lang.invoke call sites on first use (StartupClassesIT).
    @Override
    public boolean equals(Object o) {
      return o instanceof Tag t && name.equals(t.name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A manifest named by its digest. */
  record ByDigest(Digest digest) implements Ref {
    @Override
    public String in(String store) {
      return store + "@" + digest;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByDigest d && digest.equals(d.digest);
    }

    @Override
    public int hashCode() {
      return digest.hashCode();
    }

    @Override
    public String toString() {
      return digest.toString();
    }
  }
}
