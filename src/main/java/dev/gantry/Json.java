package dev.gantry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON trees for the whole program, read and written with Jackson's streaming parser and generator.
 *
 * <p>Every document Gantry reads or writes (manifests, {@code index.json}, token and error bodies,
 * the Docker config, the {@code --json} result) is a tree. Jackson's {@code ObjectMapper} gives the
 * same trees but costs about 400 classes and a third of a layout promote's start-up to set up; the
 * streaming API and the node classes alone are a tenth of that. The trees are the same as {@code
 * ObjectMapper.readTree} makes (integers as the smallest of int, long and big integer; duplicate
 * keys: the last one wins; no content: a missing node) and are written as compactly as {@code
 * JsonNode.toString()} writes them.
 */
public final class Json {
  private Json() {}

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /**
   * The full ObjectMapper, created on first use. Start-up paths use the tree methods below instead.
   */
  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  /**
   * Loads and initialises the streaming parser, generator and tree nodes by reading and writing a
   * small document, so that a background thread can do it before the first real use.
   */
  public static void warmUp() {
    try {
      bytes(readTree("{\"schemaVersion\":2,\"manifests\":[{\"size\":1,\"x\":true}]}"));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a constant document does not fail
    }
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  public static JsonNode readTree(byte[] bytes) throws IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      return root(p);
    }
  }

  public static JsonNode readTree(String text) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      return root(p);
    }
  }

  public static JsonNode readTree(Path file) throws IOException {
    return readTree(Files.readAllBytes(file));
  }

  /** The compact JSON text of a tree, as {@code JsonNode.toString()} gives it. */
  public static String write(JsonNode node) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** The compact UTF-8 JSON of a tree, as {@code ObjectMapper.writeValueAsBytes} gives it. */
  public static byte[] bytes(JsonNode node) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  private static JsonNode root(JsonParser p) throws IOException {
    return p.nextToken() == null ? MissingNode.getInstance() : value(p);
  }

  private static JsonNode value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          o.set(name, value(p));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(value(p));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected JSON token " + t);
    }
  }

  private static void write(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode child : node) {
          write(g, child);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(node.textValue());
      case NUMBER -> {
        switch (node.numberType()) {
          case INT -> g.writeNumber(node.intValue());
          case LONG -> g.writeNumber(node.longValue());
          case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
          case FLOAT -> g.writeNumber(node.floatValue());
          case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
          default -> g.writeNumber(node.doubleValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL -> g.writeNull();
      default ->
          throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " JSON node");
    }
  }
}
