package dev.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gantry.GantryException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseRequestTest {
  @Test
  void sameImageNamedTwiceIsRejectedLikePromote() {
    GantryException e =
        assertThrows(
            GantryException.class,
            () ->
                ReleaseRequest.parse(
                    "acme/api",
                    "abcdef1",
                    List.of("nginx", "docker.io/library/nginx"),
                    null,
                    null,
                    false,
                    false,
                    false));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertEquals("image 'docker.io/library/nginx' is named twice", e.getMessage());
  }

  @Test
  void imagesKeepTheirOrder() {
    ReleaseRequest r =
        ReleaseRequest.parse(
            "acme/api",
            "abcdef1",
            List.of("ghcr.io/acme/b", "ghcr.io/acme/a"),
            null,
            null,
            false,
            false,
            false);
    assertEquals("[ghcr.io/acme/b, ghcr.io/acme/a]", r.images().toString());
  }
}
