package dev.gantry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.Json;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.resolve.Resolver;
import dev.gantry.session.Session;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "resolve",
    mixinStandardHelpOptions = true,
    description =
        "Look TAG up once in every IMAGE and print IMAGE@sha256:<hex>, one line per image: the digests "
            + "later steps pin, so a tag pushed again in between cannot change what they act on. Writes nothing.")
final class ResolveCommand extends RegistryCommand {

  @Option(
      names = "--tag",
      paramLabel = "TAG",
      required = true,
      description = "The tag to resolve, e.g. sha-abc1234.")
  String tag;

  @Parameters(
      paramLabel = "IMAGE",
      arity = "1..*",
      description = "Repository such as ghcr.io/acme/api, or oci:PATH.")
  List<String> images = new ArrayList<>();

  ResolveCommand(Environment env) {
    super(env);
  }

  @Override
  public Integer call() {
    List<Resolver.Pinned> pinned;
    List<PromoteRequest.Image> parsed = Resolver.images(images, tag);
    try (Session session = registry.openForImages(env, parsed)) {
      pinned = Resolver.resolve(parsed, tag, image -> session.store(image, false), registry.jobs);
    }
    if (registry.json) {
      ObjectNode digests = Json.mapper().createObjectNode();
      pinned.forEach(p -> digests.put(p.image().toString(), p.digest().toString()));
      env.stdout().println(digests);
    } else {
      pinned.forEach(env.stdout()::println);
    }
    return ExitCode.OK;
  }
}
