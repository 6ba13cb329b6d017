# shellcheck shell=bash
# yaml_json FILE: YAML as one line of JSON, with either yq: Debian's (a jq wrapper: yq -c) or mikefarah's (first on
# PATH on GitHub's runners: yq -o=json). Sourced by scripts/rehearse.sh and scripts/lib/compose-standin.sh.
which_yq() {
  yq_flavour=jq
  if yq --version 2>&1 | grep -q mikefarah; then yq_flavour=mikefarah; fi
}
yaml_json() { # FILE
  [[ -n ${yq_flavour:-} ]] || which_yq
  if [[ $yq_flavour == mikefarah ]]; then yq -o=json -I=0 . "$1"; else yq -c . "$1"; fi
}
