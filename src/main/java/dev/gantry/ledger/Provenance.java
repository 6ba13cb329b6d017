package dev.gantry.ledger;

import dev.gantry.image.Digest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who and what moves tags in this run: the actor and run URL from the {@code GITHUB_*} variables
 * when present, the Gantry version, and the clock every record's time is read from (handed in,
 * never the system clock here).
 */
public record Provenance(
    Optional<String> actor, Optional<String> run, String version, Clock clock) {
  /**
   * From the environment a command was given (GitHub Actions sets these; elsewhere they are
   * absent).
   */
  public static Provenance from(Map<String, String> env, String version, Clock clock) {
    Optional<String> actor = nonEmpty(env.get("GITHUB_ACTOR"));
    Optional<String> run = Optional.empty();
    Optional<String> server = nonEmpty(env.get("GITHUB_SERVER_URL"));
    Optional<String> repository = nonEmpty(env.get("GITHUB_REPOSITORY"));
    Optional<String> runId = nonEmpty(env.get("GITHUB_RUN_ID"));
    if (server.isPresent() && repository.isPresent() && runId.isPresent()) {
      String url = server.get() + "/" + repository.get() + "/actions/runs/" + runId.get();
      run =
          Optional.of(
              nonEmpty(env.get("GITHUB_RUN_ATTEMPT")).map(a -> url + "/attempts/" + a).orElse(url));
    }
    return new Provenance(actor, run, version, clock);
  }

  /** Now, to the millisecond (records are ordered by time; the walk needs no finer grain). */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  public PromotionRecord record(
      String repository,
      String tag,
      Digest digest,
      Optional<Digest> previous,
      String source,
      Optional<String> commit,
      Instant time,
      MoveKind kind) {
    return new PromotionRecord(
        repository, tag, digest, previous, source, commit, time, actor, run, version, kind);
  }

  private static Optional<String> nonEmpty(@Nullable String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
