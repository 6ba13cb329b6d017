package dev.gantry.http;

/**
 * Tagged onto a request whose answer is small and read whole (a manifest): {@link RetryInterceptor}
 * then reads the body inside its loop, so a connection cut after the headers, mid-body, is retried
 * like one cut before them.
 */
public enum WholeBody {
  INSTANCE
}
