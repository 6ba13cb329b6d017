package dev.gantry.promote;

import dev.gantry.Jobs;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads everything before anything is written: every source manifest (GET, bytes kept) and every
 * current target (HEAD). Any failure here ends the run with zero writes.
 */
public final class Preflight {
  /**
   * One image as found: the source manifest and, per target tag, its current digest (absent: no
   * entry).
   */
  public record ImageState(
      PromoteRequest.Image image, Manifest source, Map<String, Digest> targets) {
    public ImageState {
      targets = Collections.unmodifiableMap(new HashMap<>(targets));
    }
  }

  /**
   * One read before any write: an image's source manifest (GET, bytes kept) or one target's digest
   * (HEAD).
   */
  private sealed interface Read permits SourceRead, TargetRead {
    Found run(Ref source);
  }

  private record SourceRead(PromoteRequest.Image image, ImageStore repo) implements Read {
    @Override
    public Found run(Ref source) {
      return new SourceFound(image, repo.getManifest(source));
    }
  }

  private record TargetRead(PromoteRequest.Image image, ImageStore repo, String tag)
      implements Read {
    @Override
    public Found run(Ref source) {
      return new TargetFound(image, tag, repo.headManifest(Ref.tag(tag)));
    }
  }

  /** What one read found, with the image it belongs to. */
  private sealed interface Found permits SourceFound, TargetFound {
    PromoteRequest.Image image();
  }

  private record SourceFound(PromoteRequest.Image image, Manifest manifest) implements Found {}

  private record TargetFound(PromoteRequest.Image image, String tag, Optional<Digest> current)
      implements Found {}

  private Preflight() {}

  public static List<ImageState> read(
      PromoteRequest request, Function<PromoteRequest.Image, ImageStore> open, int jobs) {
    // One task per (image, read) so a four-image promote issues all its reads at once.
    List<Read> reads = new ArrayList<>();
    for (PromoteRequest.Image image : request.images()) {
      ImageStore repo = open.apply(image);
      reads.add(new SourceRead(image, repo));
      for (String tag : request.to()) {
        reads.add(new TargetRead(image, repo, tag));
      }
    }
    List<Found> found =
        Jobs.valuesOrThrow(
            Jobs.run(
                reads,
                jobs,
                true,
                new Function<>() {
                  @Override
                  public Found apply(Read read) {
                    return read.run(request.source());
                  }
                }));
    // Each image's findings, in the order of the request (an image is named once: PromoteRequest
    // refuses twice). Loops, not streams, and a class above, not a lambda: every lambda is a call
    // site linked on first use, about
    // half a millisecond of a run that starts a JVM per promote.
    List<ImageState> states = new ArrayList<>();
    for (PromoteRequest.Image image : request.images()) {
      states.add(state(image, found));
    }
    return states;
  }

  private static ImageState state(PromoteRequest.Image image, List<Found> found) {
    Manifest source = null;
    Map<String, Digest> targets = new HashMap<>();
    for (Found f : found) {
      if (!f.image().equals(image)) {
        continue;
      }
      if (f instanceof SourceFound s && source == null) {
        source = s.manifest();
      } else if (f instanceof TargetFound t && t.current().isPresent()) {
        targets.put(t.tag(), t.current().get());
      }
    }
    if (source == null) {
      throw new NoSuchElementException("no source read for " + image);
    }
    return new ImageState(image, source, targets);
  }
}
