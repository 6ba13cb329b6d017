package dev.gantry;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The program's one ObjectMapper, created on first use: a promote of images on an open registry never needs
 * JSON, and Jackson's start-up (~100 ms of class loading) would be a fifth of the run.
 */
public final class Json {
  private Json() {}

  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }
}
