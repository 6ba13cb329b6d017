package dev.gantry.release;

import dev.gantry.release.GitHubApi.Release;
import dev.gantry.release.GitHubApi.ReleasePage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * The repository's releases as GET /releases lists them (newest first, drafts included), read one
 * page of 100 at a time and only as far as a question needs: the first page answers which commit
 * recent tags are on and the previous release; a release of a given tag is looked for on later
 * pages only when more than 100 releases came after it. GET /releases/tags/{tag} is not used: it
 * never finds a draft.
 */
final class ListedReleases {
  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
  private static final int MAX_PAGES = 10;

  private final GitHubApi gh;
  private final List<Release> read = new ArrayList<>();
  private @Nullable HttpUrl next;
  private int pages;

  private ListedReleases(GitHubApi gh, ReleasePage first) {
    this.gh = gh;
    add(first);
  }

  /** One call: the first page. */
  static ListedReleases read(GitHubApi gh) {
    return new ListedReleases(gh, gh.firstReleases());
  }

  /**
   * The commit a release of this tag was created on, when the first page says so with a full SHA.
   */
  Optional<String> commitOf(String tag) {
    return read.stream()
        .filter(r -> r.tag().equals(tag) && FULL_SHA.matcher(r.commitish()).matches())
        .map(Release::commitish)
        .findFirst();
  }

  /**
   * Published release tags read so far (a draft's tag may not exist yet, so it cannot start the
   * notes).
   */
  List<String> publishedTags() {
    return read.stream().filter(r -> !r.draft()).map(Release::tag).toList();
  }

  /**
   * The release of this tag, draft or not: the pages read so far, then the next pages until it is
   * found.
   */
  Optional<Release> find(String tag) {
    for (int i = 0; ; ) {
      for (; i < read.size(); i++) {
        if (read.get(i).tag().equals(tag)) {
          return Optional.of(read.get(i));
        }
      }
      if (next == null || pages >= MAX_PAGES) {
        return Optional.empty();
      }
      add(gh.releases(next));
    }
  }

  /**
   * Whether this release is the one for {@code commit}: created on it, or on a branch name (then
   * the existing tag decides).
   */
  static boolean isOn(Release release, String commit) {
    return release.commitish().equals(commit) || !FULL_SHA.matcher(release.commitish()).matches();
  }

  private void add(ReleasePage page) {
    read.addAll(page.releases());
    next = page.next();
    pages++;
  }
}
