package dev.gantry.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Blanks known secrets out of an error response's body as it arrives, before anything parses,
 * collapses whitespace in, cuts or JSON-escapes it: a registry that echoes our password back, even
 * spread over whitespace or across the 200-character cut of a plain-text reason, cannot make us
 * print any part of it. Only error bodies (status 400 and up, at most 64 KiB are kept, as much as
 * any reader of them uses) are touched; manifests and blobs pass through as they are.
 */
public final class RedactedErrorBodies implements Interceptor {
  private static final long MAX = 64 * 1024;
  private final UnaryOperator<String> redact;

  public RedactedErrorBodies(UnaryOperator<String> redact) {
    this.redact = redact;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    ResponseBody body = response.body();
    if (response.code() < 400 || body == null || "HEAD".equals(chain.request().method())) {
      return response;
    }
    Buffer kept = new Buffer();
    try (body) {
      BufferedSource source = body.source();
      source.request(MAX);
      kept.write(source.getBuffer(), Math.min(MAX, source.getBuffer().size()));
    }
    String text = kept.readString(StandardCharsets.UTF_8);
    byte[] redacted = redact.apply(text).getBytes(StandardCharsets.UTF_8);
    return response.newBuilder().body(ResponseBody.create(redacted, body.contentType())).build();
  }
}
