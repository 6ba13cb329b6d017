package dev.gantry.cli;

import dev.gantry.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Passes output through line by line, with every known secret blanked out. */
final class RedactingOutputStream extends OutputStream {
  private final OutputStream out;
  private final Secrets secrets;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  RedactingOutputStream(OutputStream out, Secrets secrets) {
    this.out = out;
    this.secrets = secrets;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    line.write(b);
    if (b == '\n') {
      emit();
    }
  }

  /** Line by line, not byte by byte: a promote's plan and report are written in a few calls. */
  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    int start = off;
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        line.write(b, start, i + 1 - start);
        emit();
        start = i + 1;
      }
    }
    line.write(b, start, off + len - start);
  }

  @Override
  public synchronized void flush() throws IOException {
    emit();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
  }

  private void emit() throws IOException {
    if (line.size() == 0) {
      return;
    }
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    out.write(secrets.redact(text).getBytes(StandardCharsets.UTF_8));
  }
}
