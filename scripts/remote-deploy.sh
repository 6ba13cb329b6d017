#!/usr/bin/env bash
# The Deploy step of .github/workflows/release-and-deploy.yml: sends scripts/deploy.sh to the server over plain
# OpenSSH with a pinned host key and reports its exit code (step output `status`, one summary row, one ::error line).
# The step calls it with its environment only; the token and APP_ENV travel on ssh's standard input ahead of
# deploy.sh, never on a command line (here or on the server).
#
# Environment (the step's env):
#   DEPLOY_HOST DEPLOY_USER DEPLOY_SSH_KEY   required  the server, the SSH user and its private key
#   DEPLOY_HOST_FINGERPRINT                  required  SHA256:... of the host key ssh must see
#   DEPLOY_DIR HEALTH_URL                    required  passed to deploy.sh
#   SSH_PORT (22) HEALTH_TIMEOUT (1..1200)             checked here
#   REGISTRY_TOKEN APP_ENV APP_ENV_FILE IMAGE_TAG GIT_TAG IMAGES REGISTRY REGISTRY_USER MIGRATE_COMMAND
#                                                      passed to deploy.sh on standard input
#   DEPLOY_SCRIPT (deploy.sh next to this script)      the script run on the server
#   RUNNER_TEMP GITHUB_OUTPUT GITHUB_STEP_SUMMARY      the runner's
# Exit: deploy.sh's code (0 healthy, 1, 2 bad settings, 3 rolled back, 4 not rolled back), 255 SSH failed,
# 2 when this step's own settings are missing or bad, 1 when no offered host key matches the fingerprint.
set -euo pipefail
SSH_PORT=${SSH_PORT:-22}
DEPLOY_SCRIPT=${DEPLOY_SCRIPT:-$(dirname "$0")/deploy.sh}
missing=()
for name in DEPLOY_HOST DEPLOY_USER DEPLOY_SSH_KEY DEPLOY_HOST_FINGERPRINT DEPLOY_DIR HEALTH_URL; do
  [[ -n ${!name:-} ]] || missing+=("$name")
done
if ((${#missing[@]} > 0)); then
  echo "::error title=deploy not configured::missing: ${missing[*]} (secrets DEPLOY_*, inputs deploy-dir and health-url)"
  exit 2
fi
if [[ ! $SSH_PORT =~ ^[1-9][0-9]{0,4}$ ]] || [[ ! $HEALTH_TIMEOUT =~ ^[1-9][0-9]{0,3}$ ]] || ((HEALTH_TIMEOUT > 1200)); then
  echo "::error title=deploy: bad input::ssh-port must be a port and health-timeout 1..1200 seconds"
  exit 2
fi

d="$RUNNER_TEMP/gantry-ssh"
install -d -m 700 "$d"
trap 'rm -rf "$d"' EXIT
(umask 077 && printf '%s\n' "$DEPLOY_SSH_KEY" > "$d/key")

# The host key is pinned: of the keys the server offers, only the one whose fingerprint is
# DEPLOY_HOST_FINGERPRINT goes into known_hosts, and ssh then insists the server proves it holds it.
pinned=${DEPLOY_HOST_FINGERPRINT#SHA256:}
ssh-keyscan -T 15 -p "$SSH_PORT" -t ed25519,ecdsa,rsa "$DEPLOY_HOST" 2>/dev/null > "$d/offered" || true
: > "$d/known_hosts"
while IFS= read -r line; do
  [[ -n $line && $line != '#'* ]] || continue
  printf '%s\n' "$line" > "$d/one"
  fp=$(ssh-keygen -l -E sha256 -f "$d/one" | awk '{print $2}') || continue
  if [[ ${fp#SHA256:} == "$pinned" ]]; then
    printf '%s\n' "$line" >> "$d/known_hosts"
  fi
done < "$d/offered"
if [[ ! -s $d/known_hosts ]]; then
  echo "::error title=host key not pinned::no host key offered by the server matches DEPLOY_HOST_FINGERPRINT"
  exit 1
fi

# Settings, token and APP_ENV go on standard input ahead of the script, as bash assignments read by
# `bash -s`: no value is ever a command-line argument (on the runner or the server) or parsed by a login
# shell; deploy.sh takes the token and APP_ENV out of its environment before it runs anything.
status=0
{
  for name in REGISTRY_TOKEN APP_ENV APP_ENV_FILE DEPLOY_DIR IMAGE_TAG GIT_TAG IMAGES HEALTH_URL HEALTH_TIMEOUT REGISTRY REGISTRY_USER MIGRATE_COMMAND; do
    printf 'export %s=%q\n' "$name" "${!name:-}"
  done
  cat "$DEPLOY_SCRIPT"
} | ssh -F /dev/null -T -p "$SSH_PORT" -i "$d/key" \
  -o BatchMode=yes -o IdentitiesOnly=yes \
  -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$d/known_hosts" -o GlobalKnownHostsFile=/dev/null \
  -o ConnectTimeout=30 -o ServerAliveInterval=15 -o ServerAliveCountMax=4 \
  "$DEPLOY_USER@$DEPLOY_HOST" 'bash -s' || status=$?

case $status in
  0) result="healthy: $IMAGE_TAG is running" ;;
  1) result="a step failed before \`up\` (the running containers were not touched), or recording/pruning failed after a healthy deploy" ;;
  2) result="bad settings or missing tools on the server: nothing ran" ;;
  3) result="unhealthy: rolled back to the last healthy release (its checkout and digests)" ;;
  4) result="unhealthy and NOT rolled back (no healthy version recorded, or the rollback failed)" ;;
  255) result="SSH failed (connection, authentication or host key)" ;;
  *) result="failed with exit code $status" ;;
esac
echo "status=$status" >> "$GITHUB_OUTPUT"
{
  echo "### Deploy"
  echo
  echo "| version | health check | result |"
  echo "| --- | --- | --- |"
  echo "| \`$IMAGE_TAG\` | $HEALTH_URL | $result (exit $status) |"
} >> "$GITHUB_STEP_SUMMARY"
if ((status != 0)); then
  echo "::error title=deploy of $IMAGE_TAG failed::$result (exit $status)"
fi
exit "$status"
