package dev.gantry.promote;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import dev.gantry.promote.PromotePlan.ImagePlan;
import dev.gantry.promote.PromotePlan.TagStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: turns what preflight read into a plan. A target already at the source digest is left alone.
 */
public final class Planner {
  private Planner() {}

  public static PromotePlan plan(PromoteRequest request, List<Preflight.ImageState> states) {
    List<ImagePlan> images = new ArrayList<>();
    for (Preflight.ImageState state : states) {
      Digest source = state.source().digest();
      Digest pinned = state.image().pinned();
      if (pinned != null && !pinned.equals(source)) {
        throw new GantryException(
            GantryException.Kind.SOURCE_MOVED,
            "promote "
                + state.image()
                + ": source tag moved: "
                + request.fromLabel()
                + " is "
                + source
                + ", expected "
                + pinned
                + "; nothing was written");
      }
      List<TagStep> steps = new ArrayList<>();
      for (String tag : request.to()) {
        Digest current = state.targets().get(tag);
        steps.add(new TagStep(tag, current, !source.equals(current)));
      }
      images.add(new ImagePlan(state.image(), state.source(), steps));
    }
    return new PromotePlan(request, images);
  }
}
