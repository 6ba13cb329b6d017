#!/usr/bin/env bash
# Turns build-images' image list into build stages: images whose `after` images are all in earlier stages.
# Images of one stage build in parallel; a stage starts when the one before it has pushed.
#
#   scripts/build-plan.sh REGISTRY OWNER PLATFORMS <images.json
#
# Each image: {"name", "context" ("."), "dockerfile" (CONTEXT/Dockerfile), "target", "platforms" (PLATFORMS),
# "build-args" ({"NAME": "value"}), "after" (["base"]: names of images of the same list it is built FROM)}.
# A name without "/" is pushed as REGISTRY/OWNER/NAME; with "/" as REGISTRY/NAME.
# Prints one JSON list per stage, on one line: [[{name, image, context, dockerfile, target, platforms, build-args
# (NAME=value lines), after ({name: image})}, ...], ...].
# Exit 2 with one line naming the bad value: not a list, a bad name or field, an unknown `after` name, a cycle.
set -euo pipefail

if (($# != 3)); then
  echo "usage: build-plan.sh REGISTRY OWNER PLATFORMS <images.json" >&2
  exit 2
fi
registry=$1 owner=${2,,} platforms=$3

if ! plan=$(jq -ce --arg registry "$registry" --arg owner "$owner" --arg platforms "$platforms" '
  def fail($m): error("build-plan: " + $m);
  def short: split("/") | last;
  if type != "array" or length == 0 then fail("images must be a non-empty JSON list") else . end
  | map(
      if type != "object" then fail("an image is not an object: \(tojson)") else . end
      | if (.name | type) != "string" or (.name | test("^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$") | not)
        then fail("image name \(.name | tojson) is not a lower-case repository name") else . end
      | .name as $name
      | if (.target // "" | type) != "string" or (.target // "" | test("^[A-Za-z0-9._-]*$") | not)
        then fail("\($name): target \(.target | tojson) is not a stage name") else . end
      | if (.platforms // "" | type) != "string" or (.platforms // "" | test("^[a-z0-9/,. _-]*$") | not)
        then fail("\($name): platforms \(.platforms | tojson) is not a comma-separated list") else . end
      | if (.["build-args"] // {} | type) != "object" then fail("\($name): build-args is not an object") else . end
      | [.["build-args"] // {} | to_entries[]
         | if (.key | test("^[A-Za-z_][A-Za-z0-9_]*$") | not) then fail("\($name): build-arg name \(.key | tojson)")
           elif (.value | type) != "string" or (.value | test("[\n\r]")) then
             fail("\($name): build-arg \(.key) must be a one-line string")
           else . end] as $ignored
      | if (.after // [] | type) != "array" or any(.after // [] | .[]; type != "string")
        then fail("\($name): after must be a list of image names") else . end
      | (.context // ".") as $context
      | {name: ($name | short),
         image: (if ($name | contains("/")) then "\($registry)/\($name)" else "\($registry)/\($owner)/\($name)" end),
         context: $context,
         dockerfile: (.dockerfile // "\($context)/Dockerfile"),
         target: (.target // ""),
         platforms: (.platforms // $platforms),
         "build-args": ([.["build-args"] // {} | to_entries[] | "\(.key)=\(.value)"] | join("\n")),
         after: [(.after // [])[] | short]})
  | if (map(.name) | unique | length) != length then fail("two images share a last name segment") else . end
  | (map({(.name): .image}) | add) as $images
  | map(.name as $n | .after[] | select($images[.] == null)
        | fail("\($n): after names \(tojson), which is not an image of this list")) as $ignored
  | map(.after = (.after | map({(.): $images[.]}) | add // {}))
  | {left: ., done: [], stages: []}
  | until(.left == [];
      .done as $done
      | [.left[] | select(.after | keys | all(. as $a | $done | any(. == $a)))] as $ready
      | if $ready == [] then fail("the after lists form a cycle among: \([.left[].name] | join(", "))") else . end
      | .stages += [$ready] | .done += [$ready[].name] | .left -= $ready)
  | .stages
' 2>&1); then
  message=${plan%%$'\n'*}
  if [[ $message == *"build-plan: "* ]]; then
    message=${message#*build-plan: }
  else
    message="images is not JSON: ${message#jq: error*: }"
  fi
  printf 'build-plan: %s\n' "$message" >&2
  exit 2
fi
printf '%s\n' "$plan"
