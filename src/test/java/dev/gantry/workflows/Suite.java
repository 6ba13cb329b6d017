package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files the policy reads: .github/workflows/*.yml and workflows-templates/* (templates, their
 * .properties.json and icons), by repository path. Immutable; {@link #with} gives a changed copy
 * for tests.
 */
final class Suite {
  private static final Pattern REMOTE_CALL =
      Pattern.compile("^([^/@]+/[^/@]+)/(\\.github/workflows/[^@]+)@(.+)$");

  /**
   * The scripts the workflows call (from a checkout of Gantry at .gantry/): their text is checked
   * with the step.
   */
  static final String SCRIPTS = "scripts/";

  private static final Pattern SCRIPT_CALL =
      Pattern.compile("^\\s*(?:bash\\s+)?\\.gantry/(scripts/[\\w.-]+\\.sh)\\s*$");

  private static final Pattern OWN_SCRIPT_CALL =
      Pattern.compile("^\\s*(?:bash\\s+)?(?:\\./)?(scripts/[\\w.-]+\\.sh)(?:\\s+[\\w-]+)*\\s*$");

  private final Map<String, String> files;
  private final List<Workflow> workflows = new ArrayList<>();
  private final List<Violation> unreadable = new ArrayList<>();

  private Suite(Map<String, String> files) {
    this.files = new TreeMap<>(files);
    this.files.forEach(
        (path, text) -> {
          if (path.endsWith(".yml") || path.endsWith(".yaml")) {
            try {
              workflows.add(Workflow.parse(path, text));
            } catch (IOException e) {
              unreadable.add(
                  new Violation(
                      path,
                      "yaml",
                      "not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
            }
          }
        });
  }

  static Suite of(Map<String, String> files) {
    return new Suite(files);
  }

  static Suite load(Path root) {
    Map<String, String> files = new TreeMap<>();
    for (String dir : List.of(Workflow.WORKFLOWS, Workflow.TEMPLATES, SCRIPTS)) {
      Path path = root.resolve(dir);
      if (!Files.isDirectory(path)) {
        continue;
      }
      try (Stream<Path> list = Files.list(path)) {
        for (Path file :
            list.filter(Files::isRegularFile)
                .filter(f -> !dir.equals(SCRIPTS) || f.getFileName().toString().endsWith(".sh"))
                .toList()) {
          files.put(dir + file.getFileName(), Files.readString(file));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Suite(files);
  }

  /** A copy with one file replaced (or added); null text removes it. */
  Suite with(String path, String text) {
    Map<String, String> copy = new TreeMap<>(files);
    if (text == null) {
      copy.remove(path);
    } else {
      copy.put(path, text);
    }
    return new Suite(copy);
  }

  String text(String path) {
    String text = files.get(path);
    if (text == null) {
      throw new IllegalArgumentException("no file " + path + " in the suite");
    }
    return text;
  }

  Map<String, String> files() {
    return files;
  }

  /**
   * The repository path of the Gantry script a run: block consists of calling
   * (.gantry/scripts/X.sh), if it does.
   */
  static Optional<String> calledScript(String run) {
    if (run == null) {
      return Optional.empty();
    }
    Matcher m = SCRIPT_CALL.matcher(run.strip());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The repository path of the script a run: block of Gantry's own workflows (neither a template
   * nor reusable: those run in an adopter's repository, whose scripts/ are its own) consists of
   * calling as scripts/X.sh (plain words as arguments), from Gantry itself checked out at the root.
   */
  static Optional<String> ownScript(Workflow w, String run) {
    if (run == null || w.isTemplate() || w.isReusable()) {
      return Optional.empty();
    }
    Matcher m = OWN_SCRIPT_CALL.matcher(run.strip());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The Gantry script a run: block of {@code w} consists of calling, either way. */
  static Optional<String> calledScript(Workflow w, String run) {
    return calledScript(run).or(() -> ownScript(w, run));
  }

  /**
   * What a run: block of {@code w} does: its text, plus the text of the Gantry script it calls
   * (when the suite has it).
   */
  String effectiveRun(Workflow w, String run) {
    return calledScript(w, run).map(files::get).map(script -> run + "\n" + script).orElse(run);
  }

  List<Workflow> workflows() {
    return workflows;
  }

  List<Workflow> templates() {
    return workflows.stream().filter(Workflow::isTemplate).toList();
  }

  List<Violation> unreadable() {
    return unreadable;
  }

  Optional<Workflow> byName(String name) {
    return workflows.stream().filter(w -> w.name().equals(name)).findFirst();
  }

  Optional<Workflow> byPath(String path) {
    return workflows.stream().filter(w -> w.path().equals(path)).findFirst();
  }

  /**
   * The repository Gantry's reusable workflows say they live in: the default of their
   * gantry-repository input (the placeholder OWNER/gantry until the project is published).
   * Templates call the suite there.
   */
  String gantryRepository() {
    return inputDefault("gantry-repository");
  }

  /**
   * The release ref the reusable workflows take Gantry from by default, which templates call them
   * at.
   */
  String gantryRef() {
    return inputDefault("gantry-ref");
  }

  private String inputDefault(String input) {
    return workflows.stream()
        .filter(w -> !w.isTemplate() && w.isReusable())
        .map(w -> w.call().path("inputs").path(input).path("default"))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .findFirst()
        .orElse("");
  }

  /** The reusable workflow a job's {@code uses:} names, when it is one of ours. */
  Optional<Workflow> callee(String uses) {
    if (uses.startsWith("./")) {
      return byPath(uses.substring(2));
    }
    Matcher m = REMOTE_CALL.matcher(uses);
    if (m.matches() && m.group(1).equals(gantryRepository())) {
      return byPath(m.group(2));
    }
    return Optional.empty();
  }

  static Matcher remoteCall(String uses) {
    return REMOTE_CALL.matcher(uses);
  }
}
