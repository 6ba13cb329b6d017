package dev.gantry.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the shipped templates in: the branch for {@code $default-branch}, the one image list in the
 * form each call takes (build-images' JSON, scan-and-promote's and the release's names, the SBOM
 * matrix), deploy off, a registry other than GHCR, and the Gantry every call names (the templates'
 * {@code OWNER/gantry} placeholder). Pure text in, text out; everything else of the template stays
 * byte for byte.
 */
final class Renderer {
  static final String BRANCH_PLACEHOLDER = "$default-branch";
  private static final Set<String> YAML_WORDS =
      Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");
  private static final Pattern JSON_LIST = Pattern.compile("^( +)images: >-$");
  private static final Pattern NAME_LIST =
      Pattern.compile("^( +)(images): (?![>|$])(?!\\$\\{\\{)(.*)$");
  private static final Pattern MATRIX = Pattern.compile("^( +)image: \\[.*]$");
  private static final Pattern SKIP_DEPLOY = Pattern.compile("^( +)skip-deploy: .*$");

  /** A job's call of a reusable workflow of Gantry: OWNER/REPO, the workflow's path, the ref. */
  private static final Pattern GANTRY_CALL =
      Pattern.compile(
          "^( {4}uses: )([^\\s/@.][^\\s/@]*/[^\\s/@]+)(/\\.github/workflows/[^\\s@]+)@(\\S+)$");

  private static final String E2E_LOGIN_REGISTRY = "          registry: ghcr.io";

  private Renderer() {}

  /**
   * The file's text, and the lines that carry a setting (what {@code --check} looks for, in this
   * order).
   */
  record Rendered(String text, List<String> managed) {}

  @SuppressWarnings(
      "AssignmentExpression") // one Matcher tried pattern by pattern down an else-if chain
  static Rendered render(String template, String file, InitSettings s, GantryRepository gantry) {
    List<String> in = template.lines().toList();
    List<String> out = new ArrayList<>();
    List<Integer> managed = new ArrayList<>();
    int lists = 0;
    int calls = 0;
    for (int i = 0; i < in.size(); i++) {
      String line = in.get(i).replace(BRANCH_PLACEHOLDER, branch(s.defaultBranch()));
      int before = out.size();
      boolean set = in.get(i).contains(BRANCH_PLACEHOLDER);
      Matcher m;
      if ((m = JSON_LIST.matcher(line)).matches()) {
        out.add(line);
        String indent = m.group(1) + "  ";
        while (i + 1 < in.size() && in.get(i + 1).startsWith(indent)) {
          i++; // the template's example list
        }
        List<String> entries = s.images().stream().map(Renderer::json).toList();
        for (int e = 0; e < entries.size(); e++) {
          out.add(
              indent
                  + (e == 0 ? "[" : " ")
                  + entries.get(e)
                  + (e == entries.size() - 1 ? "]" : ","));
        }
        lists++;
        set = true;
      } else if ((m = NAME_LIST.matcher(line)).matches()) {
        out.add(m.group(1) + m.group(2) + ": " + String.join(", ", names(s)));
        lists++;
        set = true;
      } else if ((m = MATRIX.matcher(line)).matches()) {
        out.add(m.group(1) + "image: [" + String.join(", ", names(s)) + "]");
        lists++;
        set = true;
      } else if ((m = GANTRY_CALL.matcher(line)).matches()) {
        String ref = gantry.ref();
        out.add(
            m.group(1) + gantry.repository() + m.group(3) + "@" + (ref == null ? m.group(4) : ref));
        calls++;
        set = true;
      } else if ((m = SKIP_DEPLOY.matcher(line)).matches()) {
        out.add(s.deploy() ? line : m.group(1) + "skip-deploy: true");
        set = true;
      } else {
        out.add(line);
        set |= line.equals(E2E_LOGIN_REGISTRY); // the registry's line, whichever registry
      }
      if (set) {
        for (int k = before; k < out.size(); k++) {
          managed.add(k);
        }
      }
    }
    if (lists == 0) {
      throw new IllegalStateException("the template " + file + " has no image list to fill in");
    }
    if (calls == 0) {
      throw new IllegalStateException("the template " + file + " calls no workflow of Gantry");
    }
    List<String> marked = new ArrayList<>(out);
    for (int k : managed) {
      marked.set(k, MARK + out.get(k));
    }
    List<String> lines =
        InitSettings.DEFAULT_REGISTRY.equals(s.registry())
            ? marked
            : registry(marked, s.registry());
    List<String> text =
        lines.stream().map(l -> l.startsWith(MARK) ? l.substring(MARK.length()) : l).toList();
    List<String> settings =
        lines.stream()
            .filter(l -> l.startsWith(MARK))
            .map(l -> l.substring(MARK.length()))
            .toList();
    return new Rendered(String.join("\n", text) + "\n", settings);
  }

  /**
   * Marks a line that carries a setting while the lines are assembled (no template line starts with
   * NUL).
   */
  private static final String MARK = "\0";

  /**
   * Another registry: every Gantry call gets {@code registry:} and the registry credentials, the
   * e2e login too.
   */
  private static List<String> registry(List<String> in, String registry) {
    List<String> out = new ArrayList<>();
    boolean call = false;
    boolean secrets = false;
    for (String given : in) {
      boolean marked = given.startsWith(MARK);
      String line = marked ? given.substring(MARK.length()) : given;
      boolean jobStart = line.matches("^ {2}\\S.*|^\\S.*");
      if (call && jobStart) {
        closeCall(out, secrets);
        call = false;
      }
      if (GANTRY_CALL.matcher(line).matches()) {
        call = true;
        secrets = false;
      }
      String changed =
          line.equals(E2E_LOGIN_REGISTRY)
              ? "          registry: " + registry
              : line.replace(
                      "username: ${{ github.actor }}",
                      "username: ${{ secrets.REGISTRY_USERNAME || github.actor }}")
                  .replace(
                      "password: ${{ github.token }}",
                      "password: ${{ secrets.REGISTRY_PASSWORD || github.token }}");
      out.add(changed.equals(line) ? given : MARK + changed);
      if (call && line.equals("    with:")) {
        out.add(MARK + "      registry: " + registry);
      } else if (call && line.equals("    secrets:")) {
        secrets = true;
        credentials(out);
      }
    }
    if (call) {
      closeCall(out, secrets);
    }
    return out;
  }

  private static void closeCall(List<String> out, boolean secrets) {
    if (secrets) {
      return;
    }
    int at = out.size();
    while (at > 0 && out.get(at - 1).isBlank()) {
      at--;
    }
    out.addAll(
        at,
        List.of(
            MARK + "    secrets:",
            MARK + "      REGISTRY_USERNAME: ${{ secrets.REGISTRY_USERNAME }}",
            MARK + "      REGISTRY_PASSWORD: ${{ secrets.REGISTRY_PASSWORD }}"));
  }

  private static void credentials(List<String> out) {
    out.add(MARK + "      REGISTRY_USERNAME: ${{ secrets.REGISTRY_USERNAME }}");
    out.add(MARK + "      REGISTRY_PASSWORD: ${{ secrets.REGISTRY_PASSWORD }}");
  }

  private static List<String> names(InitSettings s) {
    return s.images().stream().map(ImageSpec::name).toList();
  }

  /**
   * A branch as a YAML flow-sequence item: plain when YAML reads it as that string, JSON-quoted
   * otherwise.
   */
  static String branch(String name) {
    boolean plain =
        name.matches("[A-Za-z][A-Za-z0-9._/-]*")
            && !YAML_WORDS.contains(name.toLowerCase(Locale.ROOT));
    return plain ? name : GantryFile.quote(name);
  }

  /** One build-images entry, in the template's spacing: {"name": "api", "context": "api"}. */
  static String json(ImageSpec i) {
    List<String> fields = new ArrayList<>();
    fields.add(pair("name", GantryFile.quote(i.name())));
    if (i.context() != null) {
      fields.add(pair("context", GantryFile.quote(i.context())));
    }
    if (i.dockerfile() != null) {
      fields.add(pair("dockerfile", GantryFile.quote(i.dockerfile())));
    }
    if (!i.after().isEmpty()) {
      fields.add(
          pair(
              "after",
              "[" + String.join(", ", i.after().stream().map(GantryFile::quote).toList()) + "]"));
    }
    if (!i.buildArgs().isEmpty()) {
      List<String> args = new ArrayList<>();
      i.buildArgs().forEach((k, v) -> args.add(pair(k, GantryFile.quote(v))));
      fields.add(pair("build-args", "{" + String.join(", ", args) + "}"));
    }
    if (i.target() != null) {
      fields.add(pair("target", GantryFile.quote(i.target())));
    }
    if (i.platforms() != null) {
      fields.add(pair("platforms", GantryFile.quote(i.platforms())));
    }
    return "{" + String.join(", ", fields) + "}";
  }

  private static String pair(String key, String value) {
    return GantryFile.quote(key) + ": " + value;
  }
}
