package dev.gantry.ledger;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One tag move, as the ledger keeps it: {@code tag} of {@code repository} was pointed at {@code
 * digest}, and held {@code previous} before (empty: the tag was new). Stored as the annotations of
 * an OCI artifact manifest whose subject is {@code digest}, so a referrers listing carries every
 * field and nothing else has to be fetched.
 */
public record PromotionRecord(
    String repository,
    String tag,
    Digest digest,
    Optional<Digest> previous,
    String source,
    Optional<String> commit,
    Instant time,
    Optional<String> actor,
    Optional<String> run,
    String version,
    MoveKind kind) {
  public static final String ARTIFACT_TYPE = "application/vnd.gantry.promotion.v1+json";

  static final String CREATED = "org.opencontainers.image.created";
  private static final String PREFIX = "dev.gantry.promotion.";
  static final String REPOSITORY = PREFIX + "repository";
  static final String TAG = PREFIX + "tag";
  static final String DIGEST = PREFIX + "digest";
  static final String PREVIOUS = PREFIX + "previous";
  static final String SOURCE = PREFIX + "source";
  static final String COMMIT = PREFIX + "commit";
  static final String ACTOR = PREFIX + "actor";
  static final String RUN = PREFIX + "run";
  static final String VERSION = PREFIX + "version";
  static final String KIND = PREFIX + "kind";

  /** The annotations the record is written as (absent fields are left out, never written empty). */
  public Map<String, String> annotations() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(CREATED, iso(time));
    a.put(REPOSITORY, repository);
    a.put(TAG, tag);
    a.put(DIGEST, digest.toString());
    if (previous.isPresent()) {
      a.put(PREVIOUS, previous.get().toString());
    }
    a.put(SOURCE, source);
    putIfPresent(a, COMMIT, commit);
    putIfPresent(a, ACTOR, actor);
    putIfPresent(a, RUN, run);
    a.put(VERSION, version);
    a.put(KIND, kind.label());
    return a;
  }

  /** Without a lambda: each is a call site linked on first use, and every promote writes these. */
  private static void putIfPresent(Map<String, String> a, String key, Optional<String> value) {
    if (value.isPresent()) {
      a.put(key, value.get());
    }
  }

  /**
   * {@code time.toString()}'s text (ISO-8601 in UTC, seconds always written, the fraction in groups
   * of three digits), from {@code LocalDateTime.toString()}, which builds it by hand: {@code
   * Instant.toString()} sets up java.time's formatter on first use, some 15 ms of a promote. The
   * one difference, a time on the whole minute, for which {@code LocalDateTime} leaves the seconds
   * out, is put back.
   */
  static String iso(Instant time) {
    LocalDateTime utc =
        LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
    String text = utc.toString();
    return (utc.getSecond() == 0 && utc.getNano() == 0 ? text + ":00" : text) + "Z";
  }

  /**
   * The record annotations describe, when they describe one of ours for {@code subject}: anything
   * else (another tool's artifact under our type, a record whose digest is not its subject, an
   * unknown kind) is not a record.
   */
  public static Optional<PromotionRecord> fromAnnotations(Digest subject, Map<String, String> a) {
    try {
      String tag = a.get(TAG);
      String time = a.get(CREATED);
      Optional<MoveKind> kind = MoveKind.parse(a.getOrDefault(KIND, ""));
      if (tag == null
          || time == null
          || kind.isEmpty()
          || !subject.toString().equals(a.get(DIGEST))) {
        return Optional.empty();
      }
      Optional<Digest> previous = Optional.ofNullable(a.get(PREVIOUS)).map(Digest::parse);
      return Optional.of(
          new PromotionRecord(
              a.getOrDefault(REPOSITORY, ""),
              tag,
              subject,
              previous,
              a.getOrDefault(SOURCE, ""),
              Optional.ofNullable(a.get(COMMIT)),
              Instant.parse(time),
              Optional.ofNullable(a.get(ACTOR)),
              Optional.ofNullable(a.get(RUN)),
              a.getOrDefault(VERSION, ""),
              kind.get()));
    } catch (DateTimeParseException | GantryException e) {
      return Optional.empty(); // a malformed digest or time: not a record we can walk
    }
  }
}
