package dev.gantry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.Json;

/**
 * A command that can print its result as JSON. With {@code --json}, standard output holds exactly
 * one document whatever happens: the command's result (which carries {@code exitCode} and {@code
 * error} when it failed), or, when there is no result to print, the error document the error
 * handler writes.
 */
interface JsonOutput {
  boolean json();

  /**
   * {@code {"status":"error","exitCode":N,"error":"…"}}: the document for a run that has no result
   * to report.
   */
  static String errorDocument(int exitCode, String message) {
    return Documents.error(exitCode, message);
  }

  /**
   * The documents, in a class of their own: the JVM's verifier loads the JSON node types of a
   * method when its class is loaded, and every command implements this interface, text output or
   * not.
   */
  final class Documents {
    private Documents() {}

    static String error(int exitCode, String message) {
      ObjectNode root = Json.object();
      root.put("status", "error");
      root.put("exitCode", exitCode);
      root.put("error", message);
      return Json.write(root);
    }
  }

  /**
   * Whether {@code --json} is among the options (before a {@code --}), for errors found before
   * parsing ended.
   */
  static boolean requested(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json")) {
        return true;
      }
    }
    return false;
  }
}
