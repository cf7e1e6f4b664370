package io.cockpitwsjava.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.cockpitwsjava.identity.Identity;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryFileTest {

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static String inventory(String... hostNames) {
        StringBuilder b = new StringBuilder("hosts:\n");
        for (String h : hostNames) {
            b.append("  - {name: ").append(h).append(", address: ").append(h).append(".internal}\n");
        }
        return b.append("access:\n  - {groups: [ops], hosts: \"*\", ssh-user: cloud-user}\n").toString();
    }

    static List<String> names(Inventory inv) {
        return inv.hosts().stream().map(FleetHost::name).toList();
    }

    @Test
    void reloadsOnChangeAndKeepsThePreviousVersionWhenTheFileBreaks() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, inventory("a", "b"));
        TestClock clock = new TestClock();
        InventoryFile f = new InventoryFile(file, clock);
        List<Inventory> applied = new CopyOnWriteArrayList<>();
        f.onChange(applied::add);

        assertTrue(f.check());
        assertEquals(List.of("a", "b"), names(f.current()));
        InventoryStatus s = f.status();
        assertTrue(s.current());
        assertEquals(Optional.of(clock.now), s.loadedAt());
        assertEquals(2, s.hosts());
        assertEquals(1, s.rules());
        assertEquals(64, s.sha256().orElseThrow().length());

        // unchanged content: nothing happens
        assertFalse(f.check());
        assertEquals(1, applied.size());

        // a broken edit: the old inventory stays, the status says why and since when
        clock.now = clock.now.plusSeconds(60);
        Inventory before = f.current();
        Files.writeString(file, inventory("a", "b") + "  - {groups: [ops], hosts: \"*\", ssh_user: x}\n");
        assertFalse(f.check());
        assertSame(before, f.current());
        InventoryStatus broken = f.status();
        assertFalse(broken.current());
        InventoryStatus.Failure failure = broken.error().orElseThrow();
        assertTrue(failure.message().contains("line 6: access rule 2: unknown key 'ssh_user'"), failure.message());
        assertEquals(List.of("line 6: access rule 2: unknown key 'ssh_user' (allowed: groups, hosts, ssh-user, "
                + "superuser, users)"), failure.problems());
        assertEquals(clock.now, failure.since());
        assertEquals(s.loadedAt(), broken.loadedAt());
        assertTrue(f.current().decide(Identity.of("alice", "ops"), "a").granted());

        // the fix is applied
        clock.now = clock.now.plusSeconds(60);
        Files.writeString(file, inventory("a", "b", "c"));
        assertTrue(f.check());
        assertEquals(List.of("a", "b", "c"), names(f.current()));
        assertEquals(Optional.empty(), f.status().error());
        assertEquals(Optional.of(clock.now), f.status().loadedAt());
        assertEquals(2, applied.size());
        assertEquals(List.of("a", "b", "c"), names(applied.get(1)));
    }

    @Test
    void aVanishedFileKeepsTheInventoryAndRevertingAFailedEditClearsTheError() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, inventory("a"));
        InventoryFile f = new InventoryFile(file, new TestClock());
        assertTrue(f.check());

        Files.delete(file);
        assertFalse(f.check());
        assertTrue(f.status().error().orElseThrow().message().startsWith("cannot read " + file), f.status()::toString);
        assertEquals(List.of("a"), names(f.current()));

        Files.writeString(file, inventory("a"));
        assertFalse(f.check());
        assertTrue(f.status().current(), f.status()::toString);

        Files.writeString(file, "hosts: [");
        assertFalse(f.check());
        assertTrue(f.status().error().isPresent());
        Files.writeString(file, inventory("a"));
        assertFalse(f.check());
        assertTrue(f.status().current());
    }

    @Test
    void anInvalidFirstReadMeansNothingIsReachable() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, "hosts: []\n");
        InventoryFile f = new InventoryFile(file, new TestClock());
        assertFalse(f.check());
        assertSame(Inventory.EMPTY, f.current());
        assertEquals(Optional.empty(), f.status().loadedAt());
        assertTrue(f.status().error().orElseThrow().message().contains("missing 'access:'"));
        assertFalse(f.current().decide(Identity.of("alice", "ops"), "a").granted());
    }

    /**
     * A ConfigMap volume the way the kubelet updates it: the file is a symlink through {@code ..data}, which is
     * re-pointed at a new timestamped directory in one rename. The real polling thread must pick it up.
     */
    @Test
    void followsAConfigMapSymlinkSwap() throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.1"));
        Files.writeString(v1.resolve("inventory.yaml"), inventory("old-1"));
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path file = dir.resolve("inventory.yaml");
        Files.createSymbolicLink(file, Path.of("..data/inventory.yaml"));

        try (InventoryFile f = InventoryFile.open(file, Duration.ofMillis(50))) {
            assertEquals(List.of("old-1"), names(f.current()));

            Path v2 = Files.createDirectory(dir.resolve("..2026_01_01_00_01_00.2"));
            Files.writeString(v2.resolve("inventory.yaml"), inventory("new-1", "new-2"));
            Path tmp = dir.resolve("..data_tmp");
            Files.createSymbolicLink(tmp, v2.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> names(f.current()).equals(List.of("new-1", "new-2")));
            assertTrue(f.status().current());
        }
    }

    /** Readers racing reloads see one whole version each time: hosts and rules from the same file. */
    @Test
    void readersNeverSeeHalfAFile() throws Exception {
        Path file = dir.resolve("inventory.yaml");
        String a = inventory("a1", "a2", "a3").replace("ssh-user: cloud-user", "ssh-user: user-a");
        String b = inventory("b1", "b2", "b3", "b4").replace("ssh-user: cloud-user", "ssh-user: user-b");
        Files.writeString(file, a);
        InventoryFile f = new InventoryFile(file, new TestClock());
        f.check();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> mixed = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    Inventory inv = f.current();
                    String prefix = inv.hosts().get(0).name().substring(0, 1);
                    String user = inv.access().rules().get(0).sshUser();
                    boolean whole = inv.hosts().stream().allMatch(h -> h.name().startsWith(prefix))
                            && user.equals("user-" + prefix)
                            && inv.hosts().size() == (prefix.equals("a") ? 3 : 4);
                    if (!whole) {
                        mixed.set(names(inv) + " with " + user);
                    }
                }
            });
            t.start();
            readers.add(t);
        }
        int swaps = 0;
        for (int i = 0; i < 200; i++) {
            Files.writeString(file, i % 2 == 0 ? b : a);
            if (f.check()) {
                swaps++;
            }
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(200, swaps);
        assertEquals(null, mixed.get());
    }
}
