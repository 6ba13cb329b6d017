package dev.gantry.workflows;

/** One broken policy rule: which file, which rule, and what is wrong where. */
record Violation(String file, String rule, String message) {
  @Override
  public String toString() {
    return file + ": [" + rule + "] " + message;
  }
}
