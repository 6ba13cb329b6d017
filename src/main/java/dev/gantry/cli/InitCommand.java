package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.Version;
import dev.gantry.init.GantryFile;
import dev.gantry.init.GantryRepository;
import dev.gantry.init.ImageSpec;
import dev.gantry.init.InitPlan;
import dev.gantry.init.InitSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description =
        "Write the caller workflows into DIR/.github/workflows/ from .github/gantry.yml, or from --images "
            + "(then .github/gantry.yml is written too). A changed file is only overwritten with --force; a second run "
            + "changes nothing; --check fails when the workflows no longer match .github/gantry.yml. "
            + "The callers call the Gantry this build is published in, or the one --gantry names.")
final class InitCommand implements Callable<Integer> {
  private final Environment env;

  @Option(
      names = "--images",
      paramLabel = "NAME[,NAME...]",
      split = ",",
      description =
          "The images, each built from the directory NAME (writes .github/gantry.yml; edit it for more).")
  @Nullable List<String> images;

  @Option(
      names = "--default-branch",
      paramLabel = "BRANCH",
      description = "The default branch (required with --images).")
  @Nullable String defaultBranch;

  @Option(
      names = "--registry",
      paramLabel = "HOST",
      description = "The registry (default: ghcr.io).")
  @Nullable String registry;

  @Option(
      names = "--gantry",
      paramLabel = "OWNER/REPO[@REF]",
      description =
          "The Gantry repository the callers call, at REF (default: the repository this build is "
              + "published in, at v1; a development build needs this option).")
  @Nullable String gantry;

  @Option(names = "--no-deploy", description = "Release without deploying (skip-deploy: true).")
  boolean noDeploy;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "The repository's root (default: the current directory).")
  @Nullable Path dir;

  @Option(names = "--dry-run", description = "Print the files; write nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Overwrite files that differ from what is rendered.")
  boolean force;

  @Option(
      names = "--check",
      description =
          "Write nothing; exit 1 naming the first file that is missing or lacks a "
              + "line that carries a setting (the branch, the image list, the registry, deploy, the "
              + "Gantry called).")
  boolean check;

  InitCommand(Environment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Path root = dir == null ? Path.of(env.get("PWD") == null ? "." : env.get("PWD")) : dir;
    if (!Files.isDirectory(root)) {
      throw GantryException.badInput("--dir '" + root + "' is not a directory");
    }
    GantryRepository called = GantryRepository.resolve(gantry, Version.repository());
    List<String> named = images;
    boolean fromOptions = named != null;
    InitSettings settings = named != null ? fromOptions(named) : fromFile(root);
    InitPlan plan = InitPlan.of(root, settings, called, fromOptions);
    if (check) {
      for (InitPlan.Entry e : plan.entries()) {
        if (!e.inStep()) {
          throw new GantryException(
              GantryException.Kind.FAILED,
              "init --check: "
                  + e.path()
                  + " "
                  + (e.state() == InitPlan.State.NEW
                      ? "is missing"
                      : "does not match " + GantryFile.PATH)
                  + "; run gantry init");
        }
      }
      env.stdout()
          .println("gantry init: " + plan.entries().size() + " files match " + GantryFile.PATH);
      return 0;
    }
    if (dryRun) {
      for (InitPlan.Entry e : plan.entries()) {
        env.stdout()
            .println(
                "==> "
                    + e.path()
                    + " ("
                    + switch (e.state()) {
                      case NEW -> "new";
                      case UNCHANGED -> "unchanged";
                      case CHANGED ->
                          force ? "changed, --force overwrites it" : "changed, needs --force";
                    }
                    + ") <==");
        env.stdout().print(e.text());
      }
      return 0;
    }
    List<InitPlan.Entry> written = plan.apply(force);
    for (InitPlan.Entry e : plan.entries()) {
      env.stdout().println((written.contains(e) ? "wrote " : "unchanged ") + e.path());
    }
    return 0;
  }

  private InitSettings fromOptions(List<String> names) {
    if (defaultBranch == null) {
      throw GantryException.badInput(
          "--images needs --default-branch (the branch the workflows run on)");
    }
    if (names.stream().anyMatch(String::isBlank)) {
      throw GantryException.badInput(
          "--images '" + String.join(",", names) + "' has an empty name");
    }
    return InitSettings.of(
        defaultBranch, registry, !noDeploy, names.stream().map(ImageSpec::named).toList());
  }

  private InitSettings fromFile(Path root) {
    String stray =
        defaultBranch != null
            ? "--default-branch"
            : registry != null ? "--registry" : noDeploy ? "--no-deploy" : null;
    if (stray != null) {
      throw GantryException.badInput(
          stray + " needs --images (without it the settings come from " + GantryFile.PATH + ")");
    }
    Path file = root.resolve(GantryFile.PATH);
    if (!Files.isRegularFile(file)) {
      throw GantryException.badInput("no " + file + " and no --images: nothing to render");
    }
    try {
      return GantryFile.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED, "init: read " + file + ": " + e.getMessage(), e);
    }
  }
}
