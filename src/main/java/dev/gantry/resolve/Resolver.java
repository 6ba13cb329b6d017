package dev.gantry.resolve;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.registry.ImageReference;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * {@code resolve}: one tag looked up in every image, once, to the digest later steps pin. Reads
 * only (a manifest HEAD; a GET hashed when the registry sends no digest); an index resolves to the
 * index's own digest.
 */
public final class Resolver {
  /**
   * An image and the digest its tag points at: {@code IMAGE@sha256:…} is what a later step pins.
   */
  public record Pinned(PromoteRequest.Image image, Digest digest) {
    @Override
    public String toString() {
      return image + "@" + digest;
    }
  }

  private Resolver() {}

  /**
   * Parses and checks the input before any request: a tag, and images named without tag or digest.
   */
  public static List<PromoteRequest.Image> images(List<String> images, String tag) {
    ImageReference.checkTag(tag);
    if (images == null || images.isEmpty()) {
      throw GantryException.badInput("no image given: name at least one IMAGE");
    }
    List<PromoteRequest.Image> parsed = new ArrayList<>();
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    for (String value : images) {
      PromoteRequest.Image image = PromoteRequest.Image.parse(value);
      if (image.pinned() != null) {
        throw GantryException.badInput(
            "image '" + value + "' is already pinned: name the repository, and the tag with --tag");
      }
      if (!seen.add(image.toString())) {
        throw GantryException.badInput("image '" + value + "' is named twice");
      }
      parsed.add(image);
    }
    return parsed;
  }

  public static List<Pinned> resolve(
      List<PromoteRequest.Image> images,
      String tag,
      Function<PromoteRequest.Image, ImageStore> open,
      int jobs) {
    List<Digest> digests =
        Jobs.valuesOrThrow(
            Jobs.run(
                images,
                jobs,
                true,
                image -> {
                  ImageStore store = open.apply(image);
                  return store
                      .headImage(Ref.tag(tag))
                      .orElseThrow(
                          () ->
                              new GantryException(
                                  GantryException.Kind.NOT_FOUND,
                                  "resolve " + store.describe(Ref.tag(tag)) + ": tag not found"));
                }));
    List<Pinned> pinned = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      pinned.add(new Pinned(images.get(i), digests.get(i)));
    }
    return pinned;
  }
}
