package io.cockpitwsjava.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessPolicyTest {

    record Host(String name, Map<String, String> labels) implements LabelledHost {
    }

    static final Host WEB_PROD = new Host("web-1", Map.of("env", "prod", "role", "web"));
    static final Host DB_PROD = new Host("db-1", Map.of("env", "prod", "role", "db"));
    static final Host BUILD_DEV = new Host("build-1", Map.of("env", "dev"));
    static final Host BARE = new Host("bare-1", Map.of());

    static final Identity ALICE_OPS = Identity.of("alice", "ops");
    static final Identity BOB_DEV = Identity.of("bob", "dev");
    static final Identity CAROL = Identity.of("carol");
    static final Identity DAVE_BOTH = Identity.of("dave", "dev", "ops");
    static final Identity EVE_OPS_ADMIN = Identity.of("eve", "ops-admin");

    static AccessRule rule(int n, Set<String> users, Set<String> groups, HostSelector hosts, String sshUser,
            boolean superuser) {
        return new AccessRule(n, 0, users, groups, hosts, sshUser, superuser);
    }

    static HostSelector labels(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new HostSelector.Labels(m);
    }

    /** The contract example of docs/fleet.md, plus a users rule and a catch-all rule for carol. */
    static final AccessPolicy POLICY = new AccessPolicy(List.of(
            rule(1, Set.of(), Set.of("ops"), labels("env", "prod"), "cloud-user", true),
            rule(2, Set.of(), Set.of("ops", "dev"), labels("env", "dev"), "cloud-user", false),
            rule(3, Set.of("carol"), Set.of(), labels("role", "web"), "web-viewer", false),
            rule(4, Set.of("bob"), Set.of(), new HostSelector.Every(), "bob-ro", false)));

    /** identity, host, expected ssh user (null = refused), expected superuser, expected deciding rule. */
    static Stream<Arguments> table() {
        return Stream.of(
                // ops: superuser on prod by rule 1, plain on dev by rule 2, nothing on an unlabelled host
                Arguments.of(ALICE_OPS, WEB_PROD, "cloud-user", true, 1),
                Arguments.of(ALICE_OPS, DB_PROD, "cloud-user", true, 1),
                Arguments.of(ALICE_OPS, BUILD_DEV, "cloud-user", false, 2),
                Arguments.of(ALICE_OPS, BARE, null, false, 0),
                // dev: rule 2 on dev hosts; bob's personal rule 4 for everything else
                Arguments.of(BOB_DEV, BUILD_DEV, "cloud-user", false, 2),
                Arguments.of(BOB_DEV, WEB_PROD, "bob-ro", false, 4),
                Arguments.of(BOB_DEV, BARE, "bob-ro", false, 4),
                // no groups: only the users rule, and only where its selector matches (all labels must match)
                Arguments.of(CAROL, WEB_PROD, "web-viewer", false, 3),
                Arguments.of(CAROL, DB_PROD, null, false, 0),
                Arguments.of(CAROL, BUILD_DEV, null, false, 0),
                // several groups: one suffices; file order decides
                Arguments.of(DAVE_BOTH, WEB_PROD, "cloud-user", true, 1),
                Arguments.of(DAVE_BOTH, BUILD_DEV, "cloud-user", false, 2),
                // group names are exact strings, not prefixes
                Arguments.of(EVE_OPS_ADMIN, WEB_PROD, null, false, 0),
                // a user name that equals a group name is not that group
                Arguments.of(Identity.of("ops"), WEB_PROD, null, false, 0),
                // case matters
                Arguments.of(Identity.of("Bob", "DEV"), BUILD_DEV, null, false, 0));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("table")
    void decides(Identity who, Host host, String sshUser, boolean superuser, int rule) {
        AccessDecision d = POLICY.decide(who, host);
        if (sshUser == null) {
            AccessDecision.Refused r = assertInstanceOf(AccessDecision.Refused.class, d);
            assertEquals(AccessDecision.Reason.NOT_GRANTED, r.reason());
            assertTrue(r.message().contains(who.user()) && r.message().contains(host.name()), r.message());
        } else {
            assertEquals(new AccessDecision.Granted(sshUser, superuser, rule), d);
        }
        assertEquals(sshUser != null, POLICY.visible(who, List.of(host)).contains(host));
    }

    @Test
    void denyByDefault() {
        assertFalse(AccessPolicy.DENY_ALL.decide(ALICE_OPS, WEB_PROD).granted());
        assertEquals(List.of(), AccessPolicy.DENY_ALL.visible(ALICE_OPS, List.of(WEB_PROD, BARE)));
    }

    @Test
    void firstMatchDecidesEvenWhenALaterRuleGrantsMore() {
        AccessPolicy broadFirst = new AccessPolicy(List.of(
                rule(1, Set.of(), Set.of("ops"), new HostSelector.Every(), "viewer", false),
                rule(2, Set.of(), Set.of("ops"), labels("env", "prod"), "cloud-user", true)));
        assertEquals(new AccessDecision.Granted("viewer", false, 1), broadFirst.decide(ALICE_OPS, WEB_PROD));
        assertEquals(1, broadFirst.shadowed().size());
        assertEquals(2, broadFirst.shadowed().get(0).rule().number());
        assertEquals(1, broadFirst.shadowed().get(0).by().number());
    }

    @Test
    void visibleKeepsInventoryOrder() {
        List<Host> all = List.of(BUILD_DEV, WEB_PROD, BARE, DB_PROD);
        assertEquals(List.of(BUILD_DEV, WEB_PROD, DB_PROD), POLICY.visible(ALICE_OPS, all));
        assertEquals(List.of(WEB_PROD), POLICY.visible(CAROL, all));
        assertEquals(List.of(), POLICY.visible(EVE_OPS_ADMIN, all));
    }

    @Test
    void proberUserIsTheFirstRuleSelectingTheHost() {
        assertEquals(Optional.of("cloud-user"), POLICY.firstSshUser(WEB_PROD));
        assertEquals(Optional.of("cloud-user"), POLICY.firstSshUser(BUILD_DEV));
        assertEquals(Optional.of("bob-ro"), POLICY.firstSshUser(BARE));
        assertEquals(Optional.empty(), AccessPolicy.DENY_ALL.firstSshUser(BARE));
    }

    /** earlier, later, whether earlier makes later useless. */
    static Stream<Arguments> shadowing() {
        HostSelector every = new HostSelector.Every();
        return Stream.of(
                Arguments.of(rule(1, Set.of(), Set.of("ops"), every, "a", false),
                        rule(2, Set.of(), Set.of("ops"), labels("env", "prod"), "b", true), true),
                Arguments.of(rule(1, Set.of(), Set.of("ops", "dev"), labels("env", "prod"), "a", false),
                        rule(2, Set.of(), Set.of("ops"), labels("env", "prod", "role", "web"), "b", true), true),
                // narrower first: fine
                Arguments.of(rule(1, Set.of(), Set.of("ops"), labels("env", "prod"), "a", true),
                        rule(2, Set.of(), Set.of("ops"), every, "b", false), false),
                // different people
                Arguments.of(rule(1, Set.of(), Set.of("ops"), every, "a", false),
                        rule(2, Set.of(), Set.of("ops", "dev"), labels("env", "prod"), "b", true), false),
                Arguments.of(rule(1, Set.of("alice"), Set.of(), every, "a", false),
                        rule(2, Set.of("alice", "bob"), Set.of(), every, "b", false), false),
                // other label value
                Arguments.of(rule(1, Set.of(), Set.of("ops"), labels("env", "dev"), "a", false),
                        rule(2, Set.of(), Set.of("ops"), labels("env", "prod"), "b", false), false));
    }

    @ParameterizedTest
    @MethodSource("shadowing")
    void findsRulesThatNeverApply(AccessRule earlier, AccessRule later, boolean shadowed) {
        assertEquals(shadowed, new AccessPolicy(List.of(earlier, later)).shadowed().size() == 1);
        assertEquals(shadowed, earlier.shadows(later));
    }

    @Test
    void ruleNeedsSomeone() {
        assertThrows(IllegalArgumentException.class,
                () -> rule(1, Set.of(), Set.of(), new HostSelector.Every(), "x", false));
        assertThrows(IllegalArgumentException.class, () -> new HostSelector.Labels(Map.of()));
    }

    @Test
    void identityRefusesControlCharactersAndBlankNames() {
        assertThrows(IllegalArgumentException.class, () -> Identity.of(" "));
        assertThrows(IllegalArgumentException.class, () -> Identity.of("al\nice"));
        assertThrows(IllegalArgumentException.class, () -> Identity.of("alice", "o\u0000ps"));
        assertThrows(IllegalArgumentException.class, () -> Identity.of("x".repeat(Identity.MAX_LENGTH + 1)));
    }
}
