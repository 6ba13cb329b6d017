package dev.gantry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  @Test
  void toStringNeverShowsTheSecret() {
    for (Credentials c :
        List.of(
            Credentials.basic("octocat", "s3cr3t-PASSWORD"),
            new Credentials("<token>", "s3cr3t-PASSWORD", "s3cr3t-IDENTITY"))) {
      String s = c.toString();
      assertFalse(s.contains("s3cr3t"), s);
      assertTrue(s.contains(c.username()), s);
    }
    assertFalse(
        Optional.of(Credentials.basic("u", "s3cr3t-PASSWORD")).toString().contains("s3cr3t"));
  }

  @Test
  void tokenToStringNeverShowsTheToken() {
    assertFalse(new Token("tok-SECRET", Instant.EPOCH).toString().contains("tok-SECRET"));
  }

  @Test
  void basicHeaderIsBase64OfUserColonPassword() {
    assertEquals("Basic dXNlcjpww6Rzcw==", Credentials.basic("user", "päss").basicHeader());
    assertEquals("Basic dXNlcjo=", new Credentials("user", null, "id").basicHeader());
  }

  @Test
  void firstSourceThatKnowsTheRegistryWins() {
    CredentialSource first =
        r -> r.equals("ghcr.io") ? Optional.of(Credentials.basic("a", "1")) : Optional.empty();
    CredentialSource second = r -> Optional.of(Credentials.basic("b", "2"));
    CredentialSource both = CredentialSource.firstOf(List.of(first, second));
    assertEquals("a", both.lookup("ghcr.io").orElseThrow().username());
    assertEquals("b", both.lookup("quay.io").orElseThrow().username());
    assertEquals(Optional.empty(), CredentialSource.none().lookup("ghcr.io"));
  }
}
