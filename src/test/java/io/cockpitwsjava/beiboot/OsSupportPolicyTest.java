package io.cockpitwsjava.beiboot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsSupportPolicyTest {

    static final Map<String, String> GATEWAY = Map.of("ID", "debian", "VERSION_ID", "12", "NAME", "Debian GNU/Linux");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "ID=fedora\\nVERSION_ID=42\\nNAME=\"Fedora Linux\"     | -",
            "ID=fedora\\nVERSION_ID=41\\nNAME=\"Fedora Linux\"     | Fedora Linux 41",
            "ID=fedora\\nVERSION_ID=41                             | fedora 41",
            "VERSION_ID=41                                         | ? 41",
            "ID=arch                                               | -",
            "ID=arch\\nVERSION_ID=2024                             | arch 2024",
            "ID=debian                                             | -",
            "ID=debian\\nVERSION_ID=13                             | -",
            "ID=debian\\nVERSION_ID=11\\nNAME='Debian GNU/Linux'   | Debian GNU/Linux 11",
            "ID=\"rocky\"\\nPLATFORM_ID=\"platform:el9\"           | -",
            "ID=centos\\nPLATFORM_ID=platform:el10                 | -",
            "ID=centos\\nPLATFORM_ID=platform:el7\\nVERSION_ID=7   | centos 7",
            "ID=ubuntu\\nVERSION_ID=\"24.04\"                      | -",
            "ID=ubuntu\\nVERSION_ID=\"22.04\"                      | ubuntu 22.04",
            "''                                                    | '? '",
            })
    void decides(String osRelease, String refusal) {
        OsSupportPolicy policy = OsSupportPolicy.defaults(Map.of("ID", "plan9", "VERSION_ID", "4"));
        assertEquals(Optional.ofNullable(refusal), policy.refusal(osRelease.replace("\\n", "\n")));
    }

    @Test
    void sameOsAsTheGatewayIsAccepted() {
        OsSupportPolicy policy = OsSupportPolicy.defaults(Map.of("ID", "gentoo", "VERSION_ID", "2.17"));
        assertEquals(Optional.empty(), policy.refusal("NAME=Gentoo\nID=gentoo\nVERSION_ID=2.17\n"));
        assertEquals(Optional.of("Gentoo 2.18"), policy.refusal("NAME=Gentoo\nID=gentoo\nVERSION_ID=2.18\n"));
        // both without VERSION_ID is "the same" too, as upstream compares the possibly absent values
        OsSupportPolicy rolling = OsSupportPolicy.defaults(Map.of("ID", "void"));
        assertEquals(Optional.empty(), rolling.refusal("ID=void\n"));
    }

    @Test
    void unknownGatewayOsSkipsTheSameOsCheck() {
        assertEquals(Optional.empty(), OsSupportPolicy.defaults(Map.of()).refusal("ID=gentoo\n"));
    }

    @Test
    void parsesOsReleaseLikeShlex() {
        Map<String, String> parsed = OsSupportPolicy.parseOsRelease("""
                # comment
                NAME="Debian GNU/Linux"
                  ID=debian  \s
                PRETTY_NAME='It'\\''s "quoted"'
                ESC="a\\"b\\\\c\\$d\\x"
                BARE=a\\ b
                EMPTY=""
                VERSION_ID=
                TWO=a b
                UNBALANCED="abc
                NOEQUALS
                =value
                URL="https://x.org/?a=b"
                """);
        assertEquals(Map.of("NAME", "Debian GNU/Linux", "ID", "debian", "PRETTY_NAME", "It's \"quoted\"",
                "ESC", "a\"b\\c$d\\x", "BARE", "a b", "EMPTY", "", "URL", "https://x.org/?a=b"), parsed);
    }

    @Test
    void customListIsUsed() {
        OsSupportPolicy policy = new OsSupportPolicy(java.util.List.of(Map.of("ID", "alpine")), GATEWAY);
        assertEquals(Optional.empty(), policy.refusal("ID=alpine\nVERSION_ID=3.20\n"));
        assertEquals(Optional.of("fedora 42"), policy.refusal("ID=fedora\nVERSION_ID=42\n"));
        assertEquals(Optional.empty(), policy.refusal("ID=debian\nVERSION_ID=12\n"));
    }
}
