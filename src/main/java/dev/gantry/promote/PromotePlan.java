package dev.gantry.promote;

import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a promote will do, decided from what preflight read and nothing else. */
public record PromotePlan(PromoteRequest request, List<ImagePlan> images) {
  public PromotePlan {
    images = List.copyOf(images);
  }

  /** One image: the source manifest as read, and one step per target tag. */
  public record ImagePlan(PromoteRequest.Image image, Manifest source, List<TagStep> steps) {
    public ImagePlan {
      steps = List.copyOf(steps);
    }
  }

  /** A target tag: where it points now (null when absent) and whether it must be written. */
  public record TagStep(String tag, @Nullable Digest previous, boolean write) {}

  public long writes() {
    long writes = 0;
    for (ImagePlan image : images) {
      for (TagStep step : image.steps()) {
        writes += step.write() ? 1 : 0;
      }
    }
    return writes;
  }
}
