package io.cockpitwsjava.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.config.GatewayConfig;
import io.cockpitwsjava.config.MaxStartups;
import io.cockpitwsjava.session.LoginAdmission.Refusal;
import io.cockpitwsjava.session.LoginAdmission.Ticket;

class LoginAdmissionTest {

    record Limits(int frameBytes, int documentBytes, int channelsPerSession, int sessionsPerClient, int sessions,
            int loginsPerClient, int pendingPrompts, int pendingPromptsPerClient, int failuresPerClient,
            int failuresPerUser, Duration failureWindow, int peersPerSession) implements GatewayConfig.Limits {
        @Override
        public java.util.OptionalLong targetBufferBytes() {
            return java.util.OptionalLong.empty();
        }
    }

    /** The defaults of GatewayConfig.Limits. */
    static Limits defaults() {
        return new Limits(16 << 20, 4 << 20, 2048, 64, 1000, 4, 100, 10, 10, 20, Duration.ofMinutes(5), 16);
    }

    final AtomicLong clock = new AtomicLong();

    LoginAdmission admission(Limits limits) {
        return new LoginAdmission(MaxStartups.DEFAULT, limits, new SplittableRandom(1), clock::get);
    }

    static Ticket started(LoginAdmission a, String client) {
        Ticket t = a.ticket(client, "user", "host:22");
        assertEquals(Optional.empty(), t.start());
        return t;
    }

    @Test
    void promptsDoNotHoldMaxStartupsPlaces() {
        LoginAdmission a = admission(defaults());
        List<Ticket> parked = new ArrayList<>();
        // one address, ten logins parked at a prompt, started four at a time (logins-per-client)
        for (int round = 0; round < 3; round++) {
            List<Ticket> batch = new ArrayList<>();
            for (int i = 0; i < 4 && parked.size() + batch.size() < 10; i++) {
                batch.add(started(a, "192.0.2.1"));
            }
            for (Ticket t : batch) {
                assertEquals(Optional.empty(), t.park());
                parked.add(t);
            }
        }
        assertEquals(10, parked.size());
        assertEquals(0, a.working());
        assertEquals(10, a.prompts());
        // the eleventh prompt of that address is refused; the login it belongs to ends
        Ticket eleventh = started(a, "192.0.2.1");
        assertEquals(Optional.of(Refusal.PROMPTS_PER_CLIENT), eleventh.park());
        eleventh.release();
        // all MaxStartups places are free for everyone else
        List<Ticket> others = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            others.add(started(a, "198.51.100." + i));
        }
        assertEquals(Optional.of(Refusal.BUSY), a.ticket("203.0.113.1", "u", "h:22").start());
        others.forEach(Ticket::release);
        parked.forEach(Ticket::release);
        assertEquals(0, a.working() + a.prompts());
        assertEquals(0, a.rememberedKeys(), "nothing is remembered for clients that hold nothing");
    }

    @Test
    void oneClientHasAtMostLoginsPerClientInProgress() {
        LoginAdmission a = admission(defaults());
        List<Ticket> mine = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            mine.add(started(a, "192.0.2.1"));
        }
        assertEquals(Optional.of(Refusal.LOGINS_PER_CLIENT), a.ticket("192.0.2.1", "u", "h:22").start());
        assertEquals(Optional.empty(), a.ticket("192.0.2.2", "u", "h:22").start());
        mine.get(0).release();
        assertEquals(Optional.empty(), a.ticket("192.0.2.1", "u", "h:22").start());
    }

    @Test
    void anAnswerNeedsAWorkingPlaceAgain() {
        LoginAdmission a = admission(defaults());
        Ticket waiting = started(a, "192.0.2.1");
        assertEquals(Optional.empty(), waiting.park());
        List<Ticket> busy = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            busy.add(started(a, "198.51.100." + i));
        }
        assertEquals(Optional.of(Refusal.BUSY), waiting.resume());
        busy.get(0).release();
        assertEquals(Optional.empty(), waiting.resume());
        assertEquals(10, a.working());
        assertEquals(0, a.prompts());
    }

    @Test
    void theTotalOfPendingPromptsIsBounded() {
        Limits l = defaults();
        LoginAdmission a = admission(new Limits(l.frameBytes(), l.documentBytes(), l.channelsPerSession(), 64, 1000, 4,
                3, 10, 10, 20, l.failureWindow(), 16));
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), started(a, "192.0.2." + i).park());
        }
        Ticket t = started(a, "192.0.2.9");
        assertEquals(Optional.of(Refusal.PROMPTS), t.park());
        assertEquals(503, Refusal.PROMPTS.status());
    }

    @Test
    void sessionsArePlacesToo() {
        Limits l = defaults();
        LoginAdmission a = admission(new Limits(l.frameBytes(), l.documentBytes(), l.channelsPerSession(), 2, 3, 4,
                100, 10, 10, 20, l.failureWindow(), 16));
        Ticket a1 = started(a, "192.0.2.1");
        Ticket a2 = started(a, "192.0.2.1");
        Ticket a3 = started(a, "192.0.2.1");
        assertEquals(Optional.empty(), a1.establish());
        assertEquals(Optional.empty(), a2.establish());
        assertEquals(Optional.of(Refusal.SESSIONS_PER_CLIENT), a3.establish(), "checked again when it succeeds");
        a3.release();
        assertEquals(Optional.of(Refusal.SESSIONS_PER_CLIENT), a.ticket("192.0.2.1", "u", "h:22").start(),
                "and before any work is done");
        assertEquals(Optional.empty(), started(a, "192.0.2.2").establish());
        assertEquals(Optional.of(Refusal.SESSIONS), a.ticket("192.0.2.3", "u", "h:22").start());
        a1.release();
        assertEquals(2, a.sessions());
        assertEquals(Optional.empty(), started(a, "192.0.2.3").establish());
        assertEquals(0, a.working());
    }

    @Test
    void failuresBlockTheClientAndTheUserForTheWindow() {
        LoginAdmission a = admission(defaults());
        for (int i = 0; i < 10; i++) {
            Ticket t = a.ticket("192.0.2.1", "root", "db:22");
            assertEquals(Optional.empty(), t.start());
            t.failed(true);
            t.release();
        }
        assertEquals(Optional.of(Refusal.FAILURES), a.ticket("192.0.2.1", "alice", "web:22").start());
        // the user has 10 of 20; ten more from another client block it for everyone
        for (int i = 0; i < 10; i++) {
            Ticket t = a.ticket("192.0.2.2", "root", "db:22");
            assertEquals(Optional.empty(), t.start());
            t.failed(true);
            t.release();
        }
        assertEquals(Optional.of(Refusal.FAILURES), a.ticket("192.0.2.3", "root", "db:22").start());
        assertEquals(Optional.empty(), a.ticket("192.0.2.3", "root", "web:22").start(), "another host's root");
        clock.addAndGet(Duration.ofMinutes(5).toNanos());
        assertEquals(Optional.empty(), a.ticket("192.0.2.1", "root", "db:22").start(), "the window has passed");
    }

    @Test
    void unreachableHostsCountForTheClientOnly() {
        LoginAdmission a = admission(defaults());
        for (int i = 0; i < 10; i++) {
            Ticket t = a.ticket("192.0.2." + i, "root", "db:22");
            assertEquals(Optional.empty(), t.start());
            t.failed(false);
            t.release();
        }
        assertEquals(Optional.empty(), a.ticket("192.0.2.10", "root", "db:22").start());
    }

    @Test
    void anIpv6ClientIsItsSlash64() {
        assertEquals(LoginAdmission.clientKey("2001:db8:1:2:aaaa::1"), LoginAdmission.clientKey("2001:db8:1:2:bbbb::2"));
        assertNotEquals(LoginAdmission.clientKey("2001:db8:1:2::1"), LoginAdmission.clientKey("2001:db8:1:3::1"));
        assertEquals("2001:db8:1:2::/64", LoginAdmission.clientKey("2001:db8:1:2::1"));
        assertEquals("192.0.2.1", LoginAdmission.clientKey("::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", LoginAdmission.clientKey("192.0.2.1"));
        assertEquals(64, LoginAdmission.clientKey("x".repeat(1000)).length());
    }

    @Test
    void userKeysHaveAFixedSize() {
        assertEquals(32, LoginAdmission.userKey("a".repeat(16_000), "h:22").length());
        assertNotEquals(LoginAdmission.userKey("a@b", "c:22"), LoginAdmission.userKey("a", "b@c:22"));
        assertEquals(LoginAdmission.userKey("root", "DB.example:22"), LoginAdmission.userKey("root", "db.example:22"));
        assertNotEquals(LoginAdmission.userKey("Root", "db:22"), LoginAdmission.userKey("root", "db:22"));
    }

    @Test
    void concurrentStartsNeverExceedALimit() throws Exception {
        LoginAdmission a = admission(defaults());
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int n = 0; n < threads; n++) {
            runs.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 5000; i++) {
                    Ticket t = a.ticket("192.0.2.1", "u", "h:22");
                    if (t.start().isEmpty()) {
                        most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                        holding.decrementAndGet();
                        t.release();
                    }
                }
            }, pool));
        }
        go.countDown();
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        assertTrue(most.get() <= 4, "at most logins-per-client at once: " + most.get());
        assertTrue(most.get() >= 1);
        assertEquals(0, a.working());
    }

    @Test
    void peersWaitForAWorkingPlaceInsteadOfBeingRefused() throws Exception {
        LoginAdmission a = new LoginAdmission(MaxStartups.parse("2"), defaults(), new SplittableRandom(1), clock::get);
        Ticket l1 = started(a, "198.51.100.1");
        Ticket l2 = started(a, "198.51.100.2");
        CompletableFuture<Ticket> peer = a.peerTicket("192.0.2.1").startWhenFree();
        CompletableFuture<Ticket> second = a.peerTicket("192.0.2.1").startWhenFree();
        assertFalse(peer.isDone());
        assertEquals(Optional.of(Refusal.BUSY), a.ticket("203.0.113.1", "u", "h:22").start());
        // a login that moves on to a prompt frees its place: the first peer in line gets it
        assertEquals(Optional.empty(), l1.park());
        assertTrue(peer.isDone());
        assertFalse(second.isDone());
        assertEquals(2, a.working());
        // a peer that gave up waiting is skipped, and the place it would have had goes on
        second.completeExceptionally(new java.util.concurrent.TimeoutException());
        CompletableFuture<Ticket> third = a.peerTicket("192.0.2.1").startWhenFree();
        l2.release();
        assertTrue(third.isDone());
        peer.get().release();
        third.get().release();
        l1.release();
        assertEquals(0, a.working() + a.prompts());
        assertEquals(0, a.rememberedKeys());
    }

    @Test
    void aTicketReleasedByATimeoutRefusesFurtherSteps() {
        LoginAdmission a = admission(defaults());
        Ticket t = started(a, "192.0.2.1");
        t.release();
        assertEquals(Optional.of(Refusal.ENDED), t.establish());
        assertEquals(Optional.of(Refusal.ENDED), t.park());
        t.release();
        assertEquals(0, a.working());
    }
}
