package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ports scripts/lib/e2e.sh gives the servers the scripts start (the registry; in
 * scripts/rehearse.sh also WireMock, sshd and the example's services): a port an outgoing
 * connection can hold, even one closed a minute ago (TIME_WAIT), fails the server's bind.
 */
class E2ePortsTest {

  @Test
  void portsLieBelowTheEphemeralRangeAndAreNeverGivenTwice() throws IOException {
    // Not Files.readString: a /proc file says it is empty, and that reads only its first byte.
    String[] range =
        Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).split("\\s+");
    int low = Integer.parseInt(range[0]);
    assumeTrue(low > 11024, "an ephemeral range that starts at " + low + " leaves no room below");
    String script =
        """
        set -euo pipefail
        E2E_NAME=test
        . scripts/lib/e2e.sh
        for i in {1..300}; do e2e_free_port port; echo "$port"; done
        """;
    List<Integer> ports =
        ProcessRunner.check(List.of("bash", "-c", script), Duration.ofSeconds(60), Map.of(), null)
            .stdoutText()
            .lines()
            .map(Integer::parseInt)
            .toList();

    assertEquals(300, ports.size());
    assertEquals(300, ports.stream().distinct().count(), "no port given twice: " + ports);
    assertTrue(
        ports.stream().allMatch(p -> p >= 1024 && p < low),
        "below the ephemeral range (" + low + "-" + range[1] + "): " + ports);
  }
}
