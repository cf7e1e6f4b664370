package io.cockpitwsjava.ship;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;

/**
 * The images of the shipping tests, built once per test JVM with {@code src/scripts/build-images}: the
 * debootstrapped bases (kept in podman's storage between runs) and the gateway image from the fast-jar that
 * {@code mvn package} just produced.
 */
final class ShipImages {
    static final String GATEWAY = "localhost/cockpit-ws-java:it";
    static final String TARGET_BASE = "localhost/target-base:bookworm";

    private static boolean built;

    private ShipImages() {
    }

    /** Builds (or refreshes) all images; the gateway image is rebuilt so it holds the code under test. */
    static synchronized void build() throws Exception {
        if (built) {
            return;
        }
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("target/quarkus-app/quarkus-run.jar")),
                "target/quarkus-app missing: run the container tests with mvn verify (after package)");
        long t0 = System.nanoTime();
        // first run: two debootstraps (~2.5 min) and the JDK/Cockpit stage; later runs reuse both
        PodmanService.run(Duration.ofMinutes(20), "src/scripts/build-images", "--tag", "it");
        System.out.printf("ship images built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        built = true;
    }
}
