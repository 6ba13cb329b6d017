package dev.gantry.progress;

/** How a blob reached the destination. */
public enum Moved {
  /** Its bytes were streamed from the source. */
  UPLOADED,
  /** Mounted from another repository of the same registry: no bytes moved. */
  MOUNTED,
  /** The destination had it already. */
  ALREADY_THERE
}
