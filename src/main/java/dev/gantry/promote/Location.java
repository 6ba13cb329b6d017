package dev.gantry.promote;

import dev.gantry.layout.LayoutReference;
import dev.gantry.registry.Repository;

/** Where an image to promote lives: a repository on a registry, or an OCI layout on disk. */
public sealed interface Location permits Location.Registry, Location.Layout {
  /** Names the location in messages and output: {@code ghcr.io/acme/api} or {@code oci:build}. */
  String name();

  /** A repository on a registry. */
  record Registry(Repository repository) implements Location {
    @Override
    public String name() {
      return repository.toString();
    }

    // equals and hashCode written out, as in Repository: a record's generated ones link
    // java.lang.invoke call sites on first use (StartupClassesIT holds a promote to none).
    @Override
    public boolean equals(Object o) {
      return o instanceof Registry r && repository.equals(r.repository);
    }

    @Override
    public int hashCode() {
      return repository.hashCode();
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** An OCI layout directory ({@code oci:PATH}, no tag: promote names its tags itself). */
  record Layout(LayoutReference layout) implements Location {
    @Override
    public String name() {
      return layout.name();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Layout l && layout.equals(l.layout);
    }

    @Override
    public int hashCode() {
      return layout.hashCode();
    }

    @Override
    public String toString() {
      return name();
    }
  }
}
