package dev.gantry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming tree reader and writer give exactly what Jackson's ObjectMapper gives, which they
 * replace.
 */
class JsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"size\":514,"
            + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"sha-abc1234\"}}]}",
        "[1, -2, 2147483648, 92233720368547758070, 1.5, -0.0, 1e300, true, false, null, \"\", \"\\u00e9\\n\\\"\"]",
        "{\"a\":1,\"a\":2,\"nested\":{\"empty\":{},\"list\":[]}}",
        "\"just a string\"",
        "42",
        "{\"unicode\":\"caf\u00e9 \u2603 \ud83d\ude00\",\"control\":\"\\t\\u0001\"}"
      })
  void readsAndWritesAsObjectMapperDoes(String text) throws IOException {
    JsonNode ours = Json.readTree(text.getBytes(StandardCharsets.UTF_8));
    JsonNode theirs = MAPPER.readTree(text);
    assertEquals(theirs, ours);
    assertEquals(theirs.toString(), Json.write(ours));
    assertEquals(
        new String(MAPPER.writeValueAsBytes(theirs), StandardCharsets.UTF_8),
        new String(Json.bytes(ours), StandardCharsets.UTF_8));
    assertEquals(ours, Json.readTree(text));
  }

  @Test
  void noContentIsAMissingNodeAsWithObjectMapper() throws IOException {
    assertTrue(Json.readTree(new byte[0]).isMissingNode());
    assertEquals(MAPPER.readTree(new byte[0]), Json.readTree(new byte[0]));
  }

  @Test
  void malformedJsonFails() {
    assertThrows(IOException.class, () -> Json.readTree("{\"a\":"));
    assertThrows(IOException.class, () -> Json.readTree("{\"a\" 1}"));
  }

  @Test
  void builtTreesWriteAsToStringDoes() {
    var root = Json.object();
    root.put("command", "promote").put("dryRun", false).put("count", 3L).putNull("previous");
    root.putArray("images").addObject().put("digest", "sha256:" + "0".repeat(64));
    assertEquals(root.toString(), Json.write(root));
  }
}
