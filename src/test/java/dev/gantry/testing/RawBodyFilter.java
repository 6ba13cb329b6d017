package dev.gantry.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import wiremock.jakarta.servlet.Filter;
import wiremock.jakarta.servlet.FilterChain;
import wiremock.jakarta.servlet.ReadListener;
import wiremock.jakarta.servlet.ServletException;
import wiremock.jakarta.servlet.ServletInputStream;
import wiremock.jakarta.servlet.ServletRequest;
import wiremock.jakarta.servlet.ServletResponse;
import wiremock.jakarta.servlet.http.HttpServletRequest;
import wiremock.jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * Keeps request bodies byte-exact through WireMock. WireMock gunzips every body that starts with
 * the gzip magic bytes, Content-Encoding or not (wiremock/wiremock#547, open since 2016), which
 * turns a layer upload into its uncompressed tar and makes the registry answer "digest invalid".
 * This filter gzips such bodies once more and claims Content-Encoding: gzip to WireMock only (the
 * header is not listed, so the proxy does not forward it): WireMock's one gunzip then yields the
 * original bytes.
 */
final class RawBodyFilter implements Filter {

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    byte[] raw = http.getInputStream().readAllBytes();
    String encoding = http.getHeader("Content-Encoding");
    boolean wireMockWouldGunzip =
        (encoding != null && encoding.contains("gzip"))
            || (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b);
    chain.doFilter(
        new Body(http, wireMockWouldGunzip ? TarGz.gzip(raw) : raw, wireMockWouldGunzip), response);
  }

  private static final class Body extends HttpServletRequestWrapper {
    private final byte[] bytes;
    private final boolean wrapped;

    Body(HttpServletRequest request, byte[] bytes, boolean wrapped) {
      super(request);
      this.bytes = bytes;
      this.wrapped = wrapped;
    }

    @Override
    public String getHeader(String name) {
      return wrapped && name.equalsIgnoreCase("Content-Encoding") ? "gzip" : super.getHeader(name);
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(bytes);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return in.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already in memory");
        }
      };
    }
  }
}
