package dev.gantry.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gantry.GantryException;
import dev.gantry.promote.PromoteRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose the --username credentials are: decided from the command's registries, before any I/O. */
class RegistrySettingsTest {
  private static RegistrySettings settings(String username, String credsFor) {
    return new RegistrySettings(username, credsFor, List.of(), 8);
  }

  @Test
  void withoutAUserNameThereIsNoLogin() {
    assertNull(settings(null, null).login(List.of("ghcr.io"), "ghcr.io"));
    assertNull(
        settings(null, null)
            .loginForImages(PromoteRequest.Image.parseAll(List.of("ghcr.io/a/b", "quay.io/c/d"))));
  }

  @Test
  void theCredentialsAreForTheRegistryWrittenTo() {
    RegistrySettings.Login login =
        settings("ci", null).login(List.of("quay.io", "ghcr.io"), "ghcr.io");

    assertEquals("ci", login.username());
    assertEquals("ghcr.io", login.registry());
  }

  @Test
  void credsForPicksARegistryOfTheCommandDockerHubByAnyOfItsNames() {
    RegistrySettings.Login login =
        settings("ci", "registry-1.docker.io").login(List.of("docker.io", "ghcr.io"), "ghcr.io");

    assertEquals("docker.io", login.registry());
  }

  @Test
  void credsForNamingNoRegistryOfTheCommandIsBadInput() {
    GantryException e =
        assertThrows(
            GantryException.class,
            () -> settings("ci", "quay.io").login(List.of("ghcr.io", "ghcr.io"), "ghcr.io"));

    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertEquals("--creds-for quay.io names no registry of this command (ghcr.io)", e.getMessage());
  }

  @Test
  void imagesOnTwoRegistriesNeedCredsFor() {
    List<PromoteRequest.Image> images =
        PromoteRequest.Image.parseAll(List.of("ghcr.io/a/b", "quay.io/c/d", "oci:build/app"));

    GantryException e =
        assertThrows(GantryException.class, () -> settings("ci", null).loginForImages(images));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertEquals("quay.io", settings("ci", "quay.io").loginForImages(images).registry());
  }

  @Test
  void aUserNameWithOnlyLayoutsIsBadInput() {
    List<PromoteRequest.Image> layouts = PromoteRequest.Image.parseAll(List.of("oci:build/app"));

    GantryException e =
        assertThrows(GantryException.class, () -> settings("ci", null).loginForImages(layouts));
    assertEquals("--username: no registry in this command to use it for", e.getMessage());
  }
}
