package dev.gantry.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The JDK's TLS (default trust store, protocol "TLS", as OkHttp sets it up itself), built on the
 * first TLS connection instead of when the client is built. Loading the trust store and the TLS
 * stack is about a quarter of a promote's start-up, and a run against plain-HTTP registries
 * (loopback, {@code --insecure-registry}) or OCI layouts never needs it.
 */
final class LazyTls {
  private LazyTls() {}

  static final SSLSocketFactory SOCKET_FACTORY = new Factory();
  static final X509ExtendedTrustManager TRUST_MANAGER = new Trust();

  /** The real trust manager and socket factory, made once. */
  private record Material(X509ExtendedTrustManager trust, SSLSocketFactory factory) {}

  private static @Nullable Material material;
  private static final AtomicBoolean PREPARING = new AtomicBoolean();

  /**
   * Starts making the real TLS objects on a background thread, for a run that will open a TLS
   * connection.
   */
  static void prepare() {
    if (!PREPARING.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                material();
              } catch (IOException e) {
                // reported again, to the caller, by the connection that needs it
              }
            },
            "gantry-tls-setup");
    t.setDaemon(true);
    t.start();
  }

  private static synchronized Material material() throws SSLException {
    if (material == null) {
      try {
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        X509ExtendedTrustManager found = null;
        for (TrustManager tm : tmf.getTrustManagers()) {
          if (tm instanceof X509ExtendedTrustManager x) {
            found = x;
          }
        }
        if (found == null) {
          throw new SSLException("cannot set up TLS: the JDK offers no X509 trust manager");
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {found}, null);
        material = new Material(found, context.getSocketFactory());
      } catch (GeneralSecurityException e) {
        throw new SSLException("cannot set up TLS: " + e.getMessage(), e);
      }
    }
    return material;
  }

  private static SSLSocketFactory factory() throws SSLException {
    return material().factory();
  }

  private static X509ExtendedTrustManager trust() throws CertificateException {
    try {
      return material().trust();
    } catch (SSLException e) {
      throw new CertificateException(e.getMessage(), e);
    }
  }

  private static SSLSocketFactory factoryOrFail() {
    try {
      return factory();
    } catch (SSLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static final class Factory extends SSLSocketFactory {
    @Override
    public String[] getDefaultCipherSuites() {
      return factoryOrFail().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return factoryOrFail().getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return factory().createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket() throws IOException {
      return factory().createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return factory().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return factory().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return factory().createSocket(host, port);
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return factory().createSocket(address, port, localAddress, localPort);
    }
  }

  /**
   * What OkHttp is handed as the trust manager. Certificates are checked by the real one (it is
   * also the one inside the socket factory's context). OkHttp reads {@link #getAcceptedIssuers}
   * when a client is built, only to index roots for certificate pinning, which Gantry does not
   * configure; a TLS client never sends that list. Answering it from the trust store would load the
   * store on every start, so the answer is empty.
   */
  private static final class Trust extends X509ExtendedTrustManager {
    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      trust().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      trust().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      trust().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      trust().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      trust().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      trust().checkClientTrusted(chain, authType, engine);
    }
  }
}
