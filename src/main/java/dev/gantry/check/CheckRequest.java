package dev.gantry.check;

import dev.gantry.CommitSha;
import dev.gantry.GantryException;
import dev.gantry.registry.ImageReference;
import dev.gantry.release.ReleaseRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@code check-commit} is asked, validated before any request. {@code branch} null means the
 * repository's default branch; {@code testedBy} and {@code notBehind} null mean that check is not
 * asked for.
 */
public record CheckRequest(
    String repository,
    String sha,
    @Nullable String branch,
    @Nullable String testedBy,
    @Nullable ImageReference notBehind,
    boolean allowRollback) {
  /**
   * A workflow file name ({@code stack-tests.yml}) or its numeric id, as the workflows API takes
   * it.
   */
  private static final Pattern WORKFLOW =
      Pattern.compile("[0-9]{1,19}|[A-Za-z0-9_][A-Za-z0-9._-]{0,254}\\.ya?ml");

  /**
   * git check-ref-format's rules (no component empty, starting with a dot or ending .lock; no ..),
   * in a plain alphabet.
   */
  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,255}");

  public static CheckRequest parse(
      @Nullable String repository,
      @Nullable String sha,
      @Nullable String branch,
      @Nullable String testedBy,
      @Nullable String notBehind,
      boolean allowRollback) {
    String checkedRepository = ReleaseRequest.checkRepository(repository);
    if (sha == null || !CommitSha.isFull(sha)) {
      // The workflow-runs filter matches head_sha exactly, so a short SHA would find no run.
      throw GantryException.badInput(
          "invalid --sha '" + sha + "' (expected the full 40-hexadecimal commit SHA)");
    }
    if (branch != null
        && (!BRANCH.matcher(branch).matches()
            || branch.startsWith("-")
            || branch.endsWith("/")
            || branch.contains("..")
            || Arrays.stream(branch.split("/", -1))
                .anyMatch(
                    part -> part.isEmpty() || part.startsWith(".") || part.endsWith(".lock")))) {
      throw GantryException.badInput(
          "invalid --branch '" + branch + "' (expected a branch name such as main)");
    }
    if (testedBy != null && !WORKFLOW.matcher(testedBy).matches()) {
      throw GantryException.badInput(
          "invalid --tested-by '"
              + testedBy
              + "' (expected a workflow file name such as stack-tests.yml, or its id)");
    }
    ImageReference image = notBehind == null ? null : ImageReference.parse(notBehind);
    if (image != null && image.digest() != null) {
      throw GantryException.badInput(
          "invalid --not-behind '"
              + notBehind
              + "' (expected IMAGE[:TAG]: the tag whose commit is deployed)");
    }
    if (allowRollback && image == null) {
      throw GantryException.badInput(
          "--allow-rollback needs --not-behind (the image whose commit a rollback goes back from)");
    }
    return new CheckRequest(
        checkedRepository, sha.toLowerCase(Locale.ROOT), branch, testedBy, image, allowRollback);
  }

  /** The tag {@code --not-behind} reads, {@code latest} when none was named. */
  public String notBehindTag() {
    String tag = notBehind == null ? null : notBehind.tag();
    return tag != null ? tag : "latest";
  }
}
