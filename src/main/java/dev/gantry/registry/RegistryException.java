package dev.gantry.registry;

import dev.gantry.GantryException;
import dev.gantry.http.RetryPolicy;
import dev.gantry.image.Digest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A registry said no, could not be reached, or served bytes that do not match their digest. The
 * message reads {@code <operation> <image>: <reason>}, e.g. "get manifest
 * ghcr.io/acme/api:sha-abc1234: HTTP 404 MANIFEST_UNKNOWN: manifest unknown". Status 0 means there
 * was no usable HTTP answer.
 */
public final class RegistryException extends GantryException {
  private final int status;
  private final RegistryErrors errors;

  private RegistryException(
      Kind kind, String message, int status, RegistryErrors errors, @Nullable Throwable cause) {
    super(kind, message, cause);
    this.status = status;
    this.errors = errors;
  }

  public RegistryException(
      String operation,
      String subject,
      int status,
      RegistryErrors errors,
      @Nullable Throwable cause) {
    this(
        kindOf(status, errors),
        operation + " " + subject + ": " + reason(status, errors),
        status,
        errors,
        cause);
  }

  public static RegistryException unreachable(
      String operation, String subject, @Nullable Throwable cause) {
    String m = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
    String why = cause == null ? "no response" : cause.getClass().getSimpleName() + m;
    return new RegistryException(
        Kind.FAILED,
        operation + " " + subject + ": registry unreachable (" + why + ")",
        0,
        none(),
        cause);
  }

  public static RegistryException digestMismatch(
      String operation, String subject, String reported, Digest actual) {
    return new RegistryException(
        Kind.FAILED,
        operation
            + " "
            + subject
            + ": digest mismatch: the registry reported "
            + reported
            + " but the bytes hash to "
            + actual,
        0,
        none(),
        null);
  }

  public static RegistryException protocol(
      String operation, String subject, int status, String reason) {
    return new RegistryException(
        Kind.FAILED, operation + " " + subject + ": " + reason, status, none(), null);
  }

  public int status() {
    return status;
  }

  /**
   * Whether no HTTP status decided the request (status 0): the registry went away mid-request, or
   * answered with a digest the bytes do not have. After a write this means it may or may not have
   * landed.
   */
  public boolean withoutAnswer() {
    return status == 0;
  }

  public RegistryErrors errors() {
    return errors;
  }

  /**
   * Whether trying the same thing again later could succeed (drives the blob copier's own retries).
   */
  public boolean isTemporary() {
    return (status == 0 && getCause() != null) || RetryPolicy.isRetryableStatus(status);
  }

  @Override
  public boolean restartable() {
    return isTemporary();
  }

  private static RegistryErrors none() {
    return new RegistryErrors(List.of(), "");
  }

  private static Kind kindOf(int status, RegistryErrors errors) {
    if (status == 401 || status == 403 || errors.has("UNAUTHORIZED") || errors.has("DENIED")) {
      return Kind.AUTHENTICATION;
    }
    if (status == 404
        || errors.has("MANIFEST_UNKNOWN")
        || errors.has("NAME_UNKNOWN")
        || errors.has("BLOB_UNKNOWN")) {
      return Kind.NOT_FOUND;
    }
    return Kind.FAILED;
  }

  private static String reason(int status, RegistryErrors errors) {
    String detail = errors.describe();
    String base = detail.isEmpty() ? "HTTP " + status : "HTTP " + status + " " + detail;
    if (status == 401 && detail.isEmpty()) {
      return base + " authentication required";
    }
    return base;
  }
}
