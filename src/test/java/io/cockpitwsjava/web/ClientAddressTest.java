package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void theLastEntryOfTheLastHeaderIsTheClient() {
        assertEquals(Optional.of("203.0.113.7"), ClientAddress.lastHop(List.of("203.0.113.7")));
        // the client may write anything in front; the proxy appends the address it saw
        assertEquals(Optional.of("203.0.113.7"), ClientAddress.lastHop(List.of("10.0.0.1, 198.51.100.2, 203.0.113.7")));
        assertEquals(Optional.of("203.0.113.7"), ClientAddress.lastHop(List.of("1.1.1.1 203.0.113.7")));
        // a proxy that adds its own header line instead of appending
        assertEquals(Optional.of("203.0.113.7"), ClientAddress.lastHop(List.of("1.1.1.1", "203.0.113.7")));
    }

    @Test
    void addressesAreCanonical() {
        assertEquals(Optional.of("2001:db8::1"), ClientAddress.lastHop(List.of("2001:DB8:0:0:0:0:0:1")));
        assertEquals(Optional.of("2001:db8::1"), ClientAddress.lastHop(List.of("[2001:db8::1]:4711")));
        assertEquals(Optional.of("2001:db8::1"), ClientAddress.lastHop(List.of("[2001:db8::1]")));
        assertEquals(Optional.of("192.0.2.1"), ClientAddress.lastHop(List.of("192.0.2.1:4711")));
        assertEquals(Optional.of("192.0.2.1"), ClientAddress.lastHop(List.of("::ffff:192.0.2.1")));
    }

    @Test
    void anythingButAnAddressIsIgnored() {
        for (String bad : new String[] { "", " ", "unknown", "proxy.example", "1.2.3", "1.2.3.4.5", "300.1.1.1",
                "1.2.3.4:port", "[::1", "[::1]x", "fe80::1%eth0", "1.2.3.4\nINFO fake", "::1:99999999",
                "x".repeat(100) }) {
            assertEquals(Optional.empty(), ClientAddress.lastHop(List.of(bad)), bad);
        }
        assertEquals(Optional.empty(), ClientAddress.lastHop(List.of()));
        assertEquals(Optional.empty(), ClientAddress.lastHop(null));
        // only the last entry counts, even when an earlier one is an address
        assertEquals(Optional.empty(), ClientAddress.lastHop(List.of("203.0.113.7, garbage")));
    }
}
