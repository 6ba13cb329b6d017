package dev.gantry.cli;

import dev.gantry.CommitSha;
import dev.gantry.GantryException;
import dev.gantry.Version;
import dev.gantry.ledger.Provenance;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The ledger options of the commands that move tags (promote, copy, rollback), and what they
 * decide.
 */
final class LedgerOptions {
  @Option(
      names = "--no-record",
      description = "Write no promotion record to the ledger (the tags still move).")
  boolean noRecord;

  /**
   * Whether this run writes records: not with --no-record, and not in a dry run (which writes
   * nothing).
   */
  boolean recording(boolean dryRun) {
    return !noRecord && !dryRun;
  }

  /** The commit a record names instead of the image's revision label, checked before any I/O. */
  static Optional<String> commit(@Nullable String sha) {
    if (sha == null) {
      return Optional.empty();
    }
    if (!CommitSha.isValid(sha)) {
      throw GantryException.badInput(
          "invalid --sha '" + sha + "' (expected 7 to 40 hexadecimal characters)");
    }
    return Optional.of(sha.toLowerCase(Locale.ROOT));
  }

  static Provenance provenance(Environment env) {
    return Provenance.from(env.env(), Version.get(), env.clock());
  }
}
