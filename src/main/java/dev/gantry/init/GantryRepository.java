package dev.gantry.init;

import dev.gantry.GantryException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Gantry the generated callers call: {@code OWNER/REPO}, at {@code REF} when one is named (else
 * at the ref the shipped templates name, the release ref {@code v1}). {@code toString} inverts
 * {@link #parse}.
 */
public record GantryRepository(String repository, @Nullable String ref) {
  /** The owner the shipped templates name until a release replaces it: never one to call. */
  static final String PLACEHOLDER_OWNER = "OWNER";

  private static final Pattern OWNER =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._/-]*");

  public GantryRepository {
    String problem = problem(repository, ref);
    if (problem != null) {
      throw GantryException.badInput("--gantry '" + text(repository, ref) + "' " + problem);
    }
  }

  /** {@code OWNER/REPO} or {@code OWNER/REPO@REF}. */
  public static GantryRepository parse(String value) {
    int at = value.lastIndexOf('@');
    return at < 0
        ? new GantryRepository(value, null)
        : new GantryRepository(value.substring(0, at), value.substring(at + 1));
  }

  /**
   * The option if given, else the repository this build was stamped with (at the templates' ref).
   * With neither (a development build, which knows no published Gantry) it is bad input: the
   * placeholder would give callers that cannot run.
   */
  public static GantryRepository resolve(@Nullable String option, @Nullable String stamped) {
    if (option != null) {
      return parse(option);
    }
    if (stamped == null || problem(stamped, null) != null) {
      throw GantryException.badInput(
          "this build of Gantry does not say where it is published: name it with --gantry"
              + " OWNER/REPO[@REF] (e.g. --gantry acme/gantry@v1)");
    }
    return new GantryRepository(stamped, null);
  }

  /** What is wrong with it, or null. */
  private static @Nullable String problem(String repository, @Nullable String ref) {
    int slash = repository.indexOf('/');
    String owner = slash < 0 ? "" : repository.substring(0, slash);
    String name = slash < 0 ? "" : repository.substring(slash + 1);
    if (!OWNER.matcher(owner).matches()
        || !NAME.matcher(name).matches()
        || name.equals(".")
        || name.equals("..")) {
      return "is not OWNER/REPO[@REF], e.g. acme/gantry@v1";
    }
    if (owner.equals(PLACEHOLDER_OWNER)) {
      return "is the templates' placeholder: name the repository Gantry is published in";
    }
    if (ref != null
        && (!REF.matcher(ref).matches()
            || ref.contains("..")
            || ref.contains("//")
            || ref.endsWith("/")
            || ref.endsWith(".")
            || ref.endsWith(".lock"))) {
      return "has a REF that is not a plain git ref";
    }
    return null;
  }

  private static String text(String repository, @Nullable String ref) {
    return ref == null ? repository : repository + "@" + ref;
  }

  @Override
  public String toString() {
    return text(repository, ref);
  }
}
