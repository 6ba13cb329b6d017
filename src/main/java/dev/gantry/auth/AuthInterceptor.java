package dev.gantry.auth;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Answers registry challenges. The first 401 from a registry teaches it the challenge; from then on
 * every request to that registry's host carries credentials up front (a request to another host,
 * such as an upload Location on a storage front end, carries none unless that host challenges too):
 * Basic, or a Bearer token cached per scope set and fetched once even when many requests want it at
 * the same moment. A later 401 on a cached token (expired or revoked) drops it and fetches a new
 * one, once. A request whose body can be sent only once (a streamed blob) is never replayed: its
 * 401 is returned with the stale token dropped, and the caller restarts the whole transfer.
 */
public final class AuthInterceptor implements Interceptor {
  private final CredentialSource credentials;
  private final TokenFetcher tokens;
  private final Clock clock;
  private final Consumer<String> onToken;
  private final ConcurrentMap<String, Challenge> challenges = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, CompletableFuture<Token>> cache = new ConcurrentHashMap<>();

  /**
   * @param tokenHttp the client used for token requests (the shared one, without this interceptor)
   */
  public AuthInterceptor(CredentialSource credentials, OkHttpClient tokenHttp, Clock clock) {
    this(credentials, tokenHttp, clock, token -> {});
  }

  /**
   * @param onToken told every token fetched, so output can be redacted of it
   */
  public AuthInterceptor(
      CredentialSource credentials, OkHttpClient tokenHttp, Clock clock, Consumer<String> onToken) {
    this.credentials = credentials;
    this.tokens = new TokenFetcher(tokenHttp, clock);
    this.clock = clock;
    this.onToken = onToken;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RegistryAccess access = request.tag(RegistryAccess.class);
    if (access == null) {
      return chain.proceed(request);
    }
    // Challenges are learned per registry and per host: an upload Location on another host (a
    // storage front end)
    // is sent no credentials unless that host challenges for them itself.
    String challenger =
        access.registry()
            + "|"
            + request.url().scheme()
            + "://"
            + request.url().host()
            + ":"
            + request.url().port();
    Challenge known = challenges.get(challenger);
    Authorization auth = authorize(access, known, null);
    Response response = chain.proceed(auth.apply(request));
    if (response.code() != 401) {
      return response;
    }
    Challenge challenge = Challenge.parse(response.header("WWW-Authenticate"));
    if (challenge == null || !(challenge.isBasic() || challenge.isBearer())) {
      return response;
    }
    challenges.put(challenger, challenge);
    RegistryAccess wanted = access;
    String extra = challenge.param("scope");
    if (challenge.isBearer() && extra != null && !extra.isBlank()) {
      wanted = access.plus(Set.of(extra.split(" ")));
    }
    // Retry once, unless what was sent cannot improve: Basic credentials already sent, or a token
    // just fetched.
    boolean sameBasic = challenge.isBasic() && auth.header() != null;
    boolean freshToken = challenge.isBearer() && auth.fresh() && wanted.equals(access);
    if (sameBasic || freshToken) {
      return response;
    }
    if (request.body() != null && request.body().isOneShot()) {
      // Its body is consumed: replaying it would send nothing. The next request gets a fresh token
      // instead.
      if (auth.token() != null) {
        forget(access, challenge, auth.token());
      }
      return response;
    }
    if (challenge.isBasic() && credentials.lookup(access.registry()).isEmpty()) {
      return response; // nothing better to send
    }
    // Closed before the token request, so a failing token endpoint cannot leak the challenged
    // connection.
    response.close();
    Authorization retry = authorize(wanted, challenge, auth.token());
    return chain.proceed(retry.apply(request));
  }

  private Authorization authorize(
      RegistryAccess access, @Nullable Challenge challenge, @Nullable Token stale) {
    if (challenge == null) {
      return Authorization.NONE;
    }
    Optional<Credentials> creds = credentials.lookup(access.registry());
    if (challenge.isBasic()) {
      return creds
          .map(c -> new Authorization(c.basicHeader(), null, false))
          .orElse(Authorization.NONE);
    }
    String key = cacheKey(access, challenge, creds);
    if (stale != null) {
      forget(key, stale);
    }
    boolean[] fetchedNow = {false};
    CompletableFuture<Token> future =
        cache.compute(
            key,
            (k, existing) -> {
              if (existing != null && (!existing.isDone() || isUsable(existing))) {
                return existing;
              }
              fetchedNow[0] = true;
              return new CompletableFuture<>();
            });
    if (fetchedNow[0]) {
      try {
        Token fetched = tokens.fetch(access.registry(), challenge, access.scopes(), creds);
        onToken.accept(fetched.value());
        future.complete(fetched);
      } catch (RuntimeException e) {
        cache.remove(key, future);
        future.completeExceptionally(e);
        throw e;
      }
    }
    Token token = join(future);
    return new Authorization("Bearer " + token.value(), token, fetchedNow[0]);
  }

  private String cacheKey(RegistryAccess access, Challenge challenge, Optional<Credentials> creds) {
    return challenge.param("realm")
        + "|"
        + challenge.param("service")
        + "|"
        + creds.map(Credentials::username).orElse("")
        + "|"
        + access.scopeKey();
  }

  private void forget(RegistryAccess access, Challenge challenge, Token stale) {
    forget(cacheKey(access, challenge, credentials.lookup(access.registry())), stale);
  }

  /**
   * Drops {@code stale} from the cache, unless another request already replaced it with a newer
   * token.
   */
  private void forget(String key, Token stale) {
    CompletableFuture<Token> current = cache.get(key);
    if (current != null && current.isDone() && stale.equals(current.getNow(null))) {
      cache.remove(key, current);
    }
  }

  private boolean isUsable(CompletableFuture<Token> f) {
    Token t = f.isCompletedExceptionally() ? null : f.getNow(null);
    return t != null && t.isFresh(clock.instant());
  }

  private static Token join(CompletableFuture<Token> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a registry token", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The header to send (null for none), the token behind it, and whether it was fetched for this
   * request.
   */
  private record Authorization(@Nullable String header, @Nullable Token token, boolean fresh) {
    static final Authorization NONE = new Authorization(null, null, false);

    Request apply(Request r) {
      return header == null ? r : r.newBuilder().header("Authorization", header).build();
    }

    @Override
    public String toString() {
      return "Authorization[***]";
    }
  }
}
