package dev.gantry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Docker token protocol in test code: {@code GET
 * /token?service=S&scope=repository:NAME:pull,push}. The registry's own login gets every action
 * asked for, no credentials get {@code pull} only (an anonymous public pull; switch off with {@link
 * #anonymousPull(boolean)}), a wrong login gets 401. Every request is recorded so tests can count
 * them ("one token request per scope set").
 */
public final class TokenServer implements AutoCloseable {

  /** One request to {@code /token}: what it asked for and whether it carried credentials. */
  public record TokenRequest(
      String service, List<String> scopes, boolean withCredentials, int status) {}

  public static final String ISSUER = "gantry-test-token-issuer";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Login login;
  private final TokenSigner signer;
  private final Path dir;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Duration lifetime = Duration.ofMinutes(5);
  private volatile boolean anonymousPull = true;
  private volatile boolean firstScopeOnly;

  private TokenServer(Login login, Path dir) throws IOException {
    this.login = login;
    this.dir = dir;
    this.signer = TokenSigner.generate(dir);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a token server that accepts {@code login} as the one valid user. */
  public static TokenServer start(Login login) {
    Path dir = TempDirs.create("gantry-token-");
    try {
      return new TokenServer(login, dir);
    } catch (IOException | RuntimeException e) {
      TempDirs.delete(dir);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** The realm the registry's 401 challenge points clients to. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** PEM of the self-signed signing certificate: the registry's {@code rootcertbundle}. */
  public Path certificatePem() {
    return signer.certificatePem();
  }

  /**
   * Lifetime of tokens issued from now on (exp and expires_in). Clients refresh by expires_in, but
   * distribution 2.8 still accepts a token for a while past exp (60 s leeway; one 2 s past exp was
   * accepted here).
   */
  public void tokenLifetime(Duration lifetime) {
    this.lifetime = lifetime;
  }

  /**
   * Whether requests without credentials get {@code pull} (a public repository) or nothing (a
   * private one).
   */
  public void anonymousPull(boolean allowed) {
    this.anonymousPull = allowed;
  }

  /**
   * Grant only the first {@code scope} of a request and ignore the rest, as some token servers do.
   */
  public void grantFirstScopeOnly(boolean firstOnly) {
    this.firstScopeOnly = firstOnly;
  }

  public int requestCount() {
    return requests.size();
  }

  public List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> query = parseQuery(exchange.getRequestURI().getRawQuery());
      String service = query.getOrDefault("service", List.of("")).get(0);
      List<String> scopes =
          query.getOrDefault("scope", List.of()).stream()
              .flatMap(s -> List.of(s.split(" ")).stream())
              .filter(s -> !s.isEmpty())
              .toList();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      boolean withCredentials = authorization != null;
      if (!"GET".equals(exchange.getRequestMethod())) {
        // 404 on the OAuth2 POST form tells clients to fall back to GET.
        reply(exchange, new TokenRequest(service, scopes, withCredentials, 404), "{}");
      } else if (withCredentials && !isValid(authorization)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"gantry-test-token\"");
        reply(
            exchange,
            new TokenRequest(service, scopes, withCredentials, 401),
            "{\"details\":\"incorrect username or password\"}");
      } else {
        String jwt = signer.sign(claims(service, scopes, withCredentials));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", jwt);
        body.put("access_token", jwt);
        body.put("expires_in", lifetime.toSeconds());
        body.put("issued_at", Instant.now().toString());
        reply(
            exchange,
            new TokenRequest(service, scopes, withCredentials, 200),
            JSON.writeValueAsString(body));
      }
    }
  }

  private Map<String, Object> claims(String service, List<String> scopes, boolean authenticated) {
    List<Map<String, Object>> access = new ArrayList<>();
    for (String scope : firstScopeOnly ? scopes.subList(0, Math.min(1, scopes.size())) : scopes) {
      // type:name:actions, where the name itself may hold a port-style colon; actions are after the
      // last one.
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || first == last) {
        continue;
      }
      List<String> granted =
          List.of(scope.substring(last + 1).split(",")).stream()
              .filter(action -> authenticated || (anonymousPull && action.equals("pull")))
              .toList();
      if (!granted.isEmpty()) {
        access.add(
            Map.of(
                "type",
                scope.substring(0, first),
                "name",
                scope.substring(first + 1, last),
                "actions",
                granted));
      }
    }
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", authenticated ? login.username() : "");
    claims.put("aud", service);
    claims.put("exp", now + lifetime.toSeconds());
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    return claims;
  }

  private boolean isValid(String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    try {
      String pair =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      return pair.equals(login.colonPair());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void reply(HttpExchange exchange, TokenRequest request, String body) throws IOException {
    requests.add(request);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(request.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    TempDirs.delete(dir);
  }
}
