package dev.gantry.release;

import dev.gantry.CommitSha;
import dev.gantry.GantryException;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.registry.ImageReference;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What to release, validated before any request. */
public record ReleaseRequest(
    String repository,
    String sha,
    List<PromoteRequest.Image> images,
    String fromTag,
    CalVerFormat format,
    boolean draft,
    boolean prerelease,
    boolean latest) {
  private static final Pattern REPOSITORY =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");

  /**
   * Refuses, naming the value, a {@code --repository} that is not a GitHub {@code OWNER/NAME}
   * (release and check-commit share it).
   */
  public static String checkRepository(@Nullable String repository) {
    if (repository == null
        || !REPOSITORY.matcher(repository).matches()
        || repository.endsWith("/.")
        || repository.endsWith("/..")) {
      throw GantryException.badInput(
          "invalid --repository '" + repository + "' (expected OWNER/NAME)");
    }
    return repository;
  }

  public ReleaseRequest {
    images = List.copyOf(images);
  }

  public static ReleaseRequest parse(
      String repository,
      String sha,
      List<String> images,
      @Nullable String from,
      String format,
      boolean draft,
      boolean prerelease,
      boolean noLatest) {
    checkRepository(repository);
    if (sha == null || !CommitSha.isValid(sha)) {
      throw GantryException.badInput(
          "invalid --sha '" + sha + "' (expected 7 to 40 hexadecimal characters)");
    }
    CalVerFormat f = CalVerFormat.parse(format == null ? "YYYY.M.PATCH" : format);
    String fromTag =
        from == null
            ? "sha-" + sha.toLowerCase(Locale.ROOT).substring(0, 7)
            : ImageReference.checkTag(from);
    List<PromoteRequest.Image> parsed = PromoteRequest.Image.parseAll(images);
    return new ReleaseRequest(
        repository,
        sha.toLowerCase(Locale.ROOT),
        parsed,
        fromTag,
        f,
        draft,
        prerelease,
        !noLatest && !draft && !prerelease);
  }
}
