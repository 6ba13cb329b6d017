package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.copy.ImageCopier.Endpoint;
import dev.gantry.image.Ref;
import dev.gantry.ledger.History;
import dev.gantry.ledger.HistoryOutput;
import dev.gantry.session.Locator;
import dev.gantry.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "Show who moved a tag, when and from what, newest first, from the promotion records kept in the "
            + "registry next to the image (walked from the digest the tag holds now). Reads only.")
final class HistoryCommand extends RegistryCommand {

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "At most N moves (default: ${DEFAULT-VALUE}).")
  int limit;

  @Parameters(
      paramLabel = "IMAGE[:TAG]",
      description = "Repository such as ghcr.io/acme/api (tag default latest), or oci:PATH:TAG.")
  String image;

  HistoryCommand(Environment env) {
    super(env);
  }

  @Override
  public Integer call() {
    History.Log log;
    if (limit < 1 || limit > 1000) {
      throw GantryException.badInput("invalid --limit " + limit + " (1 to 1000)");
    }
    Locator ref = Locator.parse(image);
    if (ref instanceof Locator.InRegistry r && r.ref().digest() != null) {
      throw GantryException.badInput(
          "image '" + image + "' names a digest: history follows a tag, name IMAGE:TAG");
    }
    try (Session session = registry.open(env, ref.registry())) {
      Endpoint at = session.source(ref);
      Ref tag = at.reference();
      if (tag == null) {
        throw GantryException.badInput("image '" + image + "' names no tag: name IMAGE:TAG");
      }
      log = History.read(at.store(), tag, limit);
    }
    env.stdout().print(registry.json ? HistoryOutput.json(log) + "\n" : HistoryOutput.text(log));
    return ExitCode.OK;
  }
}
