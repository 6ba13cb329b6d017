package dev.gantry.session;

/**
 * How a GitHub command reaches GitHub: the token from standard input ({@code tokenFromStdin}) or
 * else GITHUB_TOKEN, and the REST API base ({@code https://api.github.com}, or GitHub Enterprise
 * Server's {@code https://HOST/api/v3}).
 */
public record GitHubSettings(boolean tokenFromStdin, String apiUrl) {}
