package dev.gantry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * A user name with a password or token, or an identity (refresh) token from {@code docker login}.
 * {@link #toString()} never shows the secret.
 */
public record Credentials(
    String username, @Nullable String password, @Nullable String identityToken) {
  public static Credentials basic(String username, String password) {
    return new Credentials(username, password, null);
  }

  public boolean hasIdentityToken() {
    return identityToken != null && !identityToken.isEmpty();
  }

  /** The value of a Basic {@code Authorization} header. */
  public String basicHeader() {
    String pair = username + ":" + (password == null ? "" : password);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", secret=***]";
  }
}
