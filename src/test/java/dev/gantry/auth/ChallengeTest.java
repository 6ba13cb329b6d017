package dev.gantry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChallengeTest {
  @Test
  void bearerWithRealmServiceAndScope() {
    Challenge c =
        Challenge.parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:a/b:pull\"");
    assertTrue(c.isBearer());
    assertFalse(c.isBasic());
    assertEquals(
        Map.of(
            "realm",
            "https://auth.docker.io/token",
            "service",
            "registry.docker.io",
            "scope",
            "repository:a/b:pull"),
        c.params());
  }

  @Test
  void quotedScopeKeepsItsCommasAndSpaces() {
    Challenge c =
        Challenge.parse(
            "Bearer realm=\"https://ghcr.io/token\", scope=\"repository:a/b:pull,push "
                + "repository:c/d:pull\", service=\"ghcr.io\"");
    assertEquals("repository:a/b:pull,push repository:c/d:pull", c.param("scope"));
    assertEquals("ghcr.io", c.param("service"));
    assertEquals("https://ghcr.io/token", c.param("realm"));
  }

  @Test
  void basicRealm() {
    Challenge c = Challenge.parse("Basic realm=\"Registry Realm\"");
    assertTrue(c.isBasic());
    assertFalse(c.isBearer());
    assertEquals("Registry Realm", c.param("realm"));
  }

  @Test
  void schemeAndParameterNamesAreCaseInsensitive() {
    Challenge c = Challenge.parse("BEARER Realm=\"https://r/token\",SERVICE=\"s\"");
    assertTrue(c.isBearer());
    assertEquals("https://r/token", c.param("realm"));
    assertEquals("s", c.param("service"));
    assertTrue(Challenge.parse("basic realm=x").isBasic());
  }

  @Test
  void escapedQuotesAndBackslashesInsideQuotedValues() {
    Challenge c = Challenge.parse("Basic realm=\"say \\\"hi\\\", then \\\\ go\"");
    assertEquals("say \"hi\", then \\ go", c.param("realm"));
  }

  @Test
  void unquotedValuesEndAtTheComma() {
    Challenge c =
        Challenge.parse(
            "Bearer realm=https://r.example/token,service=reg , scope=repository:a/b:pull");
    assertEquals("https://r.example/token", c.param("realm"));
    assertEquals("reg", c.param("service"));
    assertEquals("repository:a/b:pull", c.param("scope"));
  }

  @Test
  void errorParameterOfAnInvalidTokenChallenge() {
    Challenge c =
        Challenge.parse("Bearer realm=\"https://r/token\",service=\"s\",error=\"invalid_token\"");
    assertEquals("invalid_token", c.param("error"));
  }

  @Test
  void schemeWithoutParameters() {
    Challenge c = Challenge.parse("Negotiate");
    assertEquals("negotiate", c.scheme());
    assertTrue(c.params().isEmpty());
    assertFalse(c.isBearer() || c.isBasic());
  }

  @Test
  void unterminatedQuoteTakesTheRest() {
    assertEquals(
        "https://r/token", Challenge.parse("Bearer realm=\"https://r/token").param("realm"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "realm=\"x\"", "=Bearer", "=", "realm=x,service=y"})
  void garbageIsNull(String header) {
    assertNull(Challenge.parse(header));
  }

  @Test
  void missingHeaderIsNull() {
    assertNull(Challenge.parse(null));
  }
}
