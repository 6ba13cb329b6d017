package dev.gantry.init;

import dev.gantry.GantryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The files {@code gantry init} renders, each compared with what the directory holds; then applied,
 * or not.
 */
public record InitPlan(Path dir, List<Entry> entries) {
  public enum State {
    NEW,
    UNCHANGED,
    CHANGED
  }

  /**
   * {@code settings}: the lines that carry a setting; {@code inStep}: the file on disk has them
   * all, in order.
   */
  public record Entry(
      String path, String text, List<String> settings, State state, boolean inStep) {}

  /**
   * Renders every template, calling {@code gantry} (and the settings file, when the settings came
   * from options), and reads the disk.
   */
  public static InitPlan of(
      Path dir, InitSettings settings, GantryRepository gantry, boolean writeSettings) {
    List<Entry> entries = new ArrayList<>();
    if (writeSettings) {
      String text = GantryFile.write(settings);
      entries.add(entry(dir, GantryFile.PATH, text, text.lines().toList()));
    }
    for (String file : Templates.FILES) {
      Renderer.Rendered r = Renderer.render(Templates.read(file), file, settings, gantry);
      entries.add(entry(dir, ".github/workflows/" + file, r.text(), r.managed()));
    }
    return new InitPlan(dir, List.copyOf(entries));
  }

  private static Entry entry(Path dir, String path, String text, List<String> settings) {
    Path file = dir.resolve(path);
    if (!Files.exists(file)) {
      return new Entry(path, text, settings, State.NEW, false);
    }
    try {
      byte[] now = Files.readAllBytes(file);
      boolean same = Arrays.equals(now, text.getBytes(StandardCharsets.UTF_8));
      return new Entry(
          path,
          text,
          settings,
          same ? State.UNCHANGED : State.CHANGED,
          same || inOrder(settings, new String(now, StandardCharsets.UTF_8).lines().toList()));
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED, "init: read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Each wanted line appears in {@code lines}, in this order (other lines, such as your own steps,
   * in between).
   */
  static boolean inOrder(List<String> wanted, List<String> lines) {
    int at = 0;
    for (String line : lines) {
      if (at < wanted.size() && line.equals(wanted.get(at))) {
        at++;
      }
    }
    return at == wanted.size();
  }

  /**
   * Writes every new or changed file (temp file + rename); a changed one only with force, checked
   * before any write.
   */
  public List<Entry> apply(boolean force) {
    if (!force) {
      entries.stream()
          .filter(e -> e.state() == State.CHANGED)
          .findFirst()
          .ifPresent(
              e -> {
                throw GantryException.badInput(
                    e.path()
                        + " exists and differs from what gantry init renders; --force overwrites it");
              });
    }
    List<Entry> written = new ArrayList<>();
    for (Entry e : entries) {
      if (e.state() != State.UNCHANGED) {
        write(dir.resolve(e.path()), e.text());
        written.add(e);
      }
    }
    return written;
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      // Not createTempFile: its mode 0600 would stick to the workflow; this one gets the umask's,
      // as any new file.
      Path tmp = file.resolveSibling("." + file.getFileName() + ".gantry-init.tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED, "init: write " + file + ": " + e.getMessage(), e);
    }
  }
}
