package dev.gantry.cli;

/** A command that can print its result as JSON; on failure the error handler then prints the error as JSON too. */
interface JsonOutput {
  boolean json();
}
