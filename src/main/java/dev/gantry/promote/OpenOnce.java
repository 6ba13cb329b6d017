package dev.gantry.promote;

import dev.gantry.store.ImageStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Opens each image's store once, however often it is asked for. A class, not a lambda: each lambda
 * links a call site on first use, start-up work for a run that starts a JVM.
 */
public final class OpenOnce implements Function<PromoteRequest.Image, ImageStore> {
  private final Map<PromoteRequest.Image, ImageStore> opened = new ConcurrentHashMap<>();
  private final Function<PromoteRequest.Image, ImageStore> open;

  public OpenOnce(Function<PromoteRequest.Image, ImageStore> open) {
    this.open = open;
  }

  @Override
  public ImageStore apply(PromoteRequest.Image image) {
    return opened.computeIfAbsent(image, open);
  }
}
