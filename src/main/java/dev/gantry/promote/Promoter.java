package dev.gantry.promote;

import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.RemoteRepository;
import java.util.List;
import java.util.function.Function;

/** Promote in one call: preflight, plan, then apply (or only report, for a dry run). */
public final class Promoter {
  private Promoter() {}

  public static PromoteReport promote(PromoteRequest request, RegistryClient client, boolean dryRun, int jobs) {
    // Ask for push rights up front (one token per repository) unless nothing will be written.
    Function<PromoteRequest.Image, RemoteRepository> open =
        dryRun ? i -> client.forPull(i.repository()) : i -> client.forPush(i.repository());
    java.util.Map<PromoteRequest.Image, RemoteRepository> repos = new java.util.concurrent.ConcurrentHashMap<>();
    Function<PromoteRequest.Image, RemoteRepository> cached = i -> repos.computeIfAbsent(i, open);
    List<Preflight.ImageState> states = Preflight.read(request, cached, jobs);
    PromotePlan plan = Planner.plan(request, states);
    return dryRun ? Executor.dryRun(plan) : Executor.apply(plan, cached, jobs);
  }
}
