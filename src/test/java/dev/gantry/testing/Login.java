package dev.gantry.testing;

/**
 * A username and password for a test registry; toString hides the password so it never lands in a
 * log.
 */
public record Login(String username, String password) {

  /** "user:pass", the form skopeo's --creds flags take. */
  public String colonPair() {
    return username + ":" + password;
  }

  @Override
  public String toString() {
    return "Login[" + username + ", ***]";
  }
}
