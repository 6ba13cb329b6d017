package dev.gantry.promote;

import dev.gantry.Jobs;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads everything before anything is written: every source manifest (GET, bytes kept) and every current
 * target (HEAD). Any failure here ends the run with zero writes.
 */
public final class Preflight {
  /** One image as found: the source manifest and, per target tag, its current digest (absent: no entry). */
  public record ImageState(PromoteRequest.Image image, Manifest source, Map<String, Digest> targets) {
    public ImageState {
      targets = Collections.unmodifiableMap(new HashMap<>(targets));
    }
  }

  private Preflight() {}

  public static List<ImageState> read(PromoteRequest request, Function<PromoteRequest.Image, ImageStore> open, int jobs) {
    // One task per (image, read) so a four-image promote issues all its reads at once.
    record Read(ImageStore repo, @Nullable String tag) {}
    List<Read> reads = new ArrayList<>();
    for (PromoteRequest.Image image : request.images()) {
      ImageStore repo = open.apply(image);
      reads.add(new Read(repo, null));
      request.to().forEach(t -> reads.add(new Read(repo, t)));
    }
    List<Object> results = Jobs.valuesOrThrow(Jobs.run(reads, jobs, true, read -> {
      ImageStore repo = read.repo();
      String tag = read.tag();
      return tag == null
          ? repo.getManifest(request.sourceReference())
          : repo.headManifest(tag).orElse(null);
    }));
    List<ImageState> states = new ArrayList<>();
    int i = 0;
    for (PromoteRequest.Image image : request.images()) {
      Manifest source = (Manifest) results.get(i++);
      Map<String, Digest> targets = new HashMap<>();
      for (String tag : request.to()) {
        Digest current = (Digest) results.get(i++);
        if (current != null) {
          targets.put(tag, current);
        }
      }
      states.add(new ImageState(image, source, targets));
    }
    return states;
  }
}
