package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cockpitwsjava.protocol.HostTarget;

/**
 * Host allow/deny policy. Only literal addresses and {@code localhost} are resolved, so no test needs external DNS;
 * what DNS would answer for other names is given as literal addresses. Lists in the table are separated by spaces.
 */
class HostAccessPolicyTest {

    private static List<String> list(String spaced) {
        return spaced == null ? List.of() : Arrays.asList(spaced.trim().split(" +"));
    }

    /** The addresses a literal or {@code localhost} resolves to (no DNS query leaves the machine); none if invalid. */
    static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return new InetAddress[0];
        }
    }

    static InetAddress[] addresses(String spaced) {
        return list(spaced).stream().map(HostAccessPolicyTest::literal).toArray(InetAddress[]::new);
    }

    static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "[{index}] allow {0} deny {1}: {2}:{3} → {4}")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            // allowed                      | denied                        | host                 |port| permitted
            "*                              | NONE                          | 10.1.2.3               | 22 | true",
            "*                              | NONE                          | localhost              | 22 | true",
            "*                              | NONE                          | ::1                    | 22 | true",
            "NONE                           | NONE                          | 10.1.2.3               | 22 | false",
            // without :PORTS an entry allows port 22 only
            "*                              | NONE                          | 10.1.2.3               | 80 | false",
            "*                              | NONE                          | localhost              | 2222 | false",
            "*:*                            | NONE                          | localhost              | 2222 | true",
            "*:22                           | NONE                          | 10.1.2.3               | 22 | true",
            "*:2200-2299                    | NONE                          | 10.1.2.3               | 2222 | true",
            "*:2200-2299                    | NONE                          | 10.1.2.3               | 22 | false",
            "*:2200-2299                    | NONE                          | 10.1.2.3               | 2300 | false",
            "10.0.0.0/8:*                   | NONE                          | 10.1.2.3               | 9090 | true",
            "10.0.0.0/8:* *:22              | NONE                          | 11.1.2.3               | 9090 | false",
            "10.0.0.0/8:* *:22              | NONE                          | 11.1.2.3               | 22 | true",
            "localhost:*                    | NONE                          | localhost              | 9 | true",
            "[::1]:2222                     | NONE                          | ::1                    | 2222 | true",
            "[::1]:2222                     | NONE                          | ::1                    | 22 | false",
            "[fd00::/8]:*                   | NONE                          | fd12::1                | 80 | true",
            "::1                            | NONE                          | ::1                    | 22 | true",
            // name globs (case-insensitive)
            "local*                         | NONE                          | localhost              | 22 | true",
            "LOCALHOST                      | NONE                          | localhost              | 22 | true",
            "localhost                      | NONE                          | LocalHost              | 22 | true",
            "localhos?                      | NONE                          | localhost              | 22 | true",
            "localhost                      | NONE                          | 127.0.0.1              | 22 | false",
            "*.example.com                  | NONE                          | 10.1.2.3               | 22 | false",
            "l.calhost                      | NONE                          | localhost              | 22 | false",
            // a name glob never matches an address literal, not even one of IPv6's hex digits
            "fd*                            | NONE                          | fd12::1                | 22 | false",
            "1*                             | NONE                          | 10.1.2.3               | 22 | true",
            // IPv4 address globs match addresses
            "10.0.0.*                       | NONE                          | 10.0.0.77              | 22 | true",
            "10.0.0.?                       | NONE                          | 10.0.0.77              | 22 | false",
            "10.0.0.?                       | NONE                          | 10.0.0.7               | 22 | true",
            "127.0.0.*                      | NONE                          | localhost              | 22 | SAME_AS_LOCALHOST_V4_ONLY",
            // CIDR v4
            "10.0.0.0/8                     | NONE                          | 10.200.1.1             | 22 | true",
            "10.0.0.0/8                     | NONE                          | 11.0.0.1               | 22 | false",
            "192.168.1.0/24                 | NONE                          | 192.168.1.255          | 22 | true",
            "192.168.1.0/24                 | NONE                          | 192.168.2.0            | 22 | false",
            "10.1.2.3/8                     | NONE                          | 10.9.9.9               | 22 | true",
            "10.1.2.3                       | NONE                          | 10.1.2.3               | 22 | true",
            "10.1.2.3                       | NONE                          | 10.1.2.4               | 22 | false",
            "0.0.0.0/0                      | NONE                          | 203.0.113.9            | 22 | true",
            "0.0.0.0/0                      | NONE                          | 2001:db8::1            | 22 | false",
            "192.168.0.0/23                 | NONE                          | 192.168.1.9            | 22 | true",
            "192.168.0.0/23                 | NONE                          | 192.168.2.9            | 22 | false",
            // CIDR v6
            "fd00::/8                       | NONE                          | fd12:3456::1           | 22 | true",
            "fd00::/8                       | NONE                          | fe80::1                | 22 | false",
            "2001:db8::/32                  | NONE                          | 2001:db8:ffff::1       | 22 | true",
            "2001:db8::/32                  | NONE                          | 2001:db9::1            | 22 | false",
            "2001:db8::/32                  | NONE                          | 10.0.0.1               | 22 | false",
            "::1/128                        | NONE                          | ::1                    | 22 | true",
            "127.0.0.0/8 ::1/128            | NONE                          | localhost              | 22 | true",
            // denied addresses beat allowed ones
            "*                              | 169.254.0.0/16 fd00:ec2::254/128 | 169.254.169.254     | 22 | false",
            "*                              | 169.254.0.0/16 fd00:ec2::254/128 | fd00:ec2::254       | 22 | false",
            "*                              | 169.254.0.0/16 fd00:ec2::254/128 | fd00:ec2::255       | 22 | true",
            "*                              | 169.254.0.0/16                | ::ffff:169.254.169.254 | 22 | false",
            "169.254.0.0/16                 | 169.254.169.254/32            | 169.254.169.254        | 22 | false",
            "169.254.0.0/16                 | 169.254.169.254/32            | 169.254.1.1            | 22 | true",
            "localhost                      | 127.0.0.0/8                   | localhost              | 22 | false",
            "10.0.0.*                       | 10.0.0.0/24                   | 10.0.0.1               | 22 | false",
            // unresolvable
            "*                              | NONE                          | [not-an-address]       | 22 | false",
            "*                              | NONE                          | [::1                   | 22 | false",
    })
    void permits(String allowed, String denied, String host, int port, String expected) {
        HostAccessPolicy policy = new HostAccessPolicy(list(allowed), list(denied));
        InetAddress[] addresses = resolve(host);
        boolean want = expected.equals("SAME_AS_LOCALHOST_V4_ONLY")
                ? java.util.Arrays.stream(addresses).allMatch(a -> a instanceof java.net.Inet4Address)
                : Boolean.parseBoolean(expected);
        assertEquals(want, policy.permits(host, port, addresses));
    }

    /**
     * An address pattern is matched on the resolved addresses only: a name that merely looks like an allowed address
     * is refused unless it resolves into the allowed block (issue 7 row 5). The addresses stand for what DNS said.
     */
    @ParameterizedTest(name = "[{index}] allow {0}: {1} resolving to {2} → {3}")
    @CsvSource(delimiter = '|', value = {
            // allowed        | host typed                    | resolved to          | permitted
            "10.0.0.*         | 10.0.0.attacker.example       | 127.0.0.1            | false",
            "10.0.0.*         | 10.0.0.attacker.example       | 10.0.0.9             | true",
            "10.0.0.0/8       | 10.0.0.0.attacker.example     | 192.168.1.1          | false",
            "10.0.0.0/8       | db.internal.example           | 10.1.1.1 10.2.2.2    | true",
            // every address must be allowed: a second answer outside the block refuses the name
            "10.0.0.0/8       | db.internal.example           | 10.1.1.1 127.0.0.1   | false",
            // a name glob trusts the name's DNS (denied addresses aside)
            "*.example        | db.example                    | 127.0.0.1            | true",
            "*.example        | db.example.attacker.test      | 10.0.0.1             | false",
            "*.example        | 10.0.0.1                      | 10.0.0.1             | false",
    })
    void addressPatternsAreCheckedOnAddressesNotNames(String allowed, String host, String resolved, boolean expected) {
        HostAccessPolicy policy = new HostAccessPolicy(list(allowed), List.of("169.254.0.0/16"));
        assertEquals(expected, policy.permits(host, 22, addresses(resolved)));
    }

    @Test
    void aNameGlobStillRefusesDeniedAddresses() {
        HostAccessPolicy policy = new HostAccessPolicy(List.of("*.example"), List.of("169.254.0.0/16"));
        assertFalse(policy.permits("meta.example", 22, addresses("10.0.0.1 169.254.169.254")));
    }

    @Test
    void badEntriesAreRejectedWithTheirText() {
        for (String bad : List.of("10.0.0.0/33", "fd00::*", "host:", "host:0", "host:70000", "host:30-20", "host:ssh",
                "[::1", "[::1]22", "a b", "ho$t", "999.1.1.1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HostAccessPolicy(List.of(bad), List.of()), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void defaultHostStaysReachableOnItsPort() {
        HostAccessPolicy policy = new HostAccessPolicy(List.of("*"), List.of("169.254.0.0/16"))
                .alsoAllowing(HostTarget.parse("localhost:2222"));
        assertTrue(policy.permits("localhost", 2222, addresses("127.0.0.1")));
        assertFalse(policy.permits("localhost", 2223, addresses("127.0.0.1")));
        assertFalse(policy.permits("other", 2222, addresses("127.0.0.1")));
        HostAccessPolicy byAddress = new HostAccessPolicy(List.of(), List.of("169.254.0.0/16"))
                .alsoAllowing(HostTarget.parse("127.0.0.1:2222"));
        assertTrue(byAddress.permits("127.0.0.1", 2222, addresses("127.0.0.1")));
        HostAccessPolicy denied = new HostAccessPolicy(List.of(), List.of("169.254.0.0/16"))
                .alsoAllowing(HostTarget.parse("169.254.169.254"));
        assertFalse(denied.permits("169.254.169.254", 22, addresses("169.254.169.254")));
    }

    @ParameterizedTest(name = "[{index}] {0} admits any host: {1}")
    @CsvSource(delimiter = '|', value = {
            "*                | true",
            "*:*              | true",
            "0.0.0.0/0:22     | true",
            "[::/0]           | true",
            "*.*.*.*          | true",
            "10.0.0.0/8       | false",
            "*.example.com    | false",
            "10.0.0.* db?     | false",
    })
    void admitsAnyHost(String allowed, boolean expected) {
        assertEquals(expected, new HostAccessPolicy(list(allowed), List.of()).admitsAnyHost());
    }

    @Test
    void deniedEntriesMustBeAddressBlocks() {
        assertThrows(IllegalArgumentException.class, () -> new HostAccessPolicy(List.of("*"), List.of("example.com")));
        assertThrows(IllegalArgumentException.class,
                () -> new HostAccessPolicy(List.of("*"), List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new HostAccessPolicy(List.of("*"), List.of("::/129")));
    }

    @Test
    void blankAllowedEntriesAreIgnored() {
        HostAccessPolicy policy = new HostAccessPolicy(List.of(" ", "", "10.0.0.0/8"), List.of());
        assertEquals(true, policy.permits("10.0.0.1", 22, addresses("10.0.0.1")));
        assertEquals(false, policy.permits("127.0.0.1", 22, addresses("127.0.0.1")));
    }
}
