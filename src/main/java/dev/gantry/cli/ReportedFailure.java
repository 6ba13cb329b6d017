package dev.gantry.cli;

import dev.gantry.GantryException;

/**
 * A failure whose result document (the promote report, with its exit code and error) is already on
 * standard output: the error handler prints only the stderr line for it, so {@code --json} output
 * stays one document.
 */
final class ReportedFailure extends GantryException {
  ReportedFailure(GantryException failure) {
    super(failure.kind(), failure.getMessage(), failure.getCause());
  }
}
