package dev.gantry.release;

import dev.gantry.action.ImagesMarkdown;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: the release body — header, images table, pull lines, then GitHub's generated notes, under
 * the size limit.
 */
public final class ReleaseNotes {
  /** GitHub refuses release bodies over 125,000 characters. */
  public static final int MAX_BODY = 125_000;

  static final String TRUNCATED =
      "\n\n_The generated notes were cut to fit GitHub's 125,000-character limit; "
          + "compare the tags for the full list._\n";

  /** An image tagged with the version: where it lives and its digest. */
  public record ImageLine(String image, String digest) {}

  private ReleaseNotes() {}

  public static String body(
      String version, String commit, List<ImageLine> images, String generated) {
    StringBuilder head = new StringBuilder();
    head.append("Release `").append(version).append("` of commit `").append(commit).append("`.\n");
    if (!images.isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      List<String> pulls = new ArrayList<>();
      for (ImageLine i : images) {
        rows.add(List.of("`" + i.image() + ':' + version + "`", "`" + i.digest() + "`"));
        pulls.add(i.image() + ':' + version);
      }
      head.append('\n')
          .append(ImagesMarkdown.table(List.of("image", "digest"), rows))
          .append(ImagesMarkdown.pulls(pulls));
    }
    String notes = generated == null || generated.isBlank() ? "" : "\n" + generated.strip() + "\n";
    if (head.length() + notes.length() <= MAX_BODY) {
      return head + notes;
    }
    int room = Math.max(0, MAX_BODY - head.length() - TRUNCATED.length());
    String cut = notes.substring(0, Math.min(room, notes.length()));
    int lastLine = cut.lastIndexOf('\n');
    if (lastLine > 0) {
      cut = cut.substring(0, lastLine);
    }
    String body = head + cut + TRUNCATED;
    return body.length() <= MAX_BODY ? body : body.substring(0, MAX_BODY);
  }
}
