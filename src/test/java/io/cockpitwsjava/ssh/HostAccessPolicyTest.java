package io.cockpitwsjava.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Host allow/deny policy. Only literal addresses and {@code localhost} are used, so no test needs external DNS.
 * Lists in the table are separated by spaces.
 */
class HostAccessPolicyTest {

    private static List<String> list(String spaced) {
        return spaced == null ? List.of() : Arrays.asList(spaced.trim().split(" +"));
    }

    @ParameterizedTest(name = "[{index}] allow {0} deny {1}: {2} → {3}")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            // allowed                      | denied                        | host                   | permitted
            "*                              | NONE                          | 10.1.2.3               | true",
            "*                              | NONE                          | localhost              | true",
            "*                              | NONE                          | ::1                    | true",
            "NONE                           | NONE                          | 10.1.2.3               | false",
            // name globs (case-insensitive)
            "local*                         | NONE                          | localhost              | true",
            "LOCALHOST                      | NONE                          | localhost              | true",
            "localhost                      | NONE                          | LocalHost              | true",
            "localhos?                      | NONE                          | localhost              | true",
            "localhost                      | NONE                          | 127.0.0.1              | false",
            "*.example.com                  | NONE                          | 10.1.2.3               | false",
            "10.0.0.*                       | NONE                          | 10.0.0.77              | true",
            "10.0.0.?                       | NONE                          | 10.0.0.77              | false",
            "10.0.0.?                       | NONE                          | 10.0.0.7               | true",
            "l.calhost                      | NONE                          | localhost              | false",
            // CIDR v4
            "10.0.0.0/8                     | NONE                          | 10.200.1.1             | true",
            "10.0.0.0/8                     | NONE                          | 11.0.0.1               | false",
            "192.168.1.0/24                 | NONE                          | 192.168.1.255          | true",
            "192.168.1.0/24                 | NONE                          | 192.168.2.0            | false",
            "10.1.2.3/8                     | NONE                          | 10.9.9.9               | true",
            "10.1.2.3                       | NONE                          | 10.1.2.3               | true",
            "10.1.2.3                       | NONE                          | 10.1.2.4               | false",
            "0.0.0.0/0                      | NONE                          | 203.0.113.9            | true",
            "0.0.0.0/0                      | NONE                          | 2001:db8::1            | false",
            "192.168.0.0/23                 | NONE                          | 192.168.1.9            | true",
            "192.168.0.0/23                 | NONE                          | 192.168.2.9            | false",
            // CIDR v6
            "fd00::/8                       | NONE                          | fd12:3456::1           | true",
            "fd00::/8                       | NONE                          | fe80::1                | false",
            "2001:db8::/32                  | NONE                          | 2001:db8:ffff::1       | true",
            "2001:db8::/32                  | NONE                          | 2001:db9::1            | false",
            "2001:db8::/32                  | NONE                          | 10.0.0.1               | false",
            "::1/128                        | NONE                          | ::1                    | true",
            "127.0.0.0/8 ::1/128            | NONE                          | localhost              | true",
            // denied addresses beat allowed ones
            "*                              | 169.254.0.0/16 fd00:ec2::254/128 | 169.254.169.254     | false",
            "*                              | 169.254.0.0/16 fd00:ec2::254/128 | fd00:ec2::254       | false",
            "*                              | 169.254.0.0/16 fd00:ec2::254/128 | fd00:ec2::255       | true",
            "*                              | 169.254.0.0/16                | ::ffff:169.254.169.254 | false",
            "169.254.0.0/16                 | 169.254.169.254/32            | 169.254.169.254        | false",
            "169.254.0.0/16                 | 169.254.169.254/32            | 169.254.1.1            | true",
            "localhost                      | 127.0.0.0/8                   | localhost              | false",
            "10.0.0.*                       | 10.0.0.0/24                   | 10.0.0.1               | false",
            // unresolvable
            "*                              | NONE                          | [not-an-address]       | false",
            "*                              | NONE                          | [::1                   | false",
    })
    void permits(String allowed, String denied, String host, boolean expected) {
        HostAccessPolicy policy = new HostAccessPolicy(list(allowed), list(denied));
        assertEquals(expected, policy.permits(host));
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
        assertEquals(true, policy.permits("10.0.0.1"));
        assertEquals(false, policy.permits("127.0.0.1"));
    }
}
