package io.signstream.localstack;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker that cannot start says why: its log (the end of which the error carries) has Kafka's own reason. */
class KafkaBrokerStartFailureTest {

    @Test
    void aBrokerWhosePortIsTakenFailsWithTheReason(@TempDir Path directory) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> KafkaBroker.start(directory, taken.getLocalPort(), Duration.ofMinutes(3)));
            assertTrue(failure.getMessage().contains("Address already in use"), failure.getMessage());
        }
    }
}
