package io.cockpitwsjava.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.cockpitwsjava.identity.AccessDecision;
import io.cockpitwsjava.identity.AccessRule;
import io.cockpitwsjava.identity.HostSelector;
import io.cockpitwsjava.identity.Identity;
import io.cockpitwsjava.protocol.HostTarget;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InventoryFormatTest {

    /** The example of the contract in docs/fleet.md, byte for byte. */
    static final String CONTRACT_EXAMPLE = """
            hosts:
              - name: web-1                     # used in URLs: <root>/=web-1/ and /cockpit+=web-1/...
                address: 192.0.2.10             # host[:port], port 22 by default
                labels: {env: prod, role: web}
              - name: build-1
                address: build-1.internal:2222
                labels: {env: dev}
                host-key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOyPkAnkpjQ0Ao3oWhb0g0iYKl8lOXuikJndr5ESgqCG"   # optional pin
            access:
              - groups: [ops]                   # token group claim values; or users: [alice] (preferred_username)
                hosts: {env: prod}              # label selector, all must match; "*" = every host
                ssh-user: cloud-user
                superuser: true
              - groups: [ops, dev]
                hosts: {env: dev}
                ssh-user: cloud-user
            probe:                              # optional: the status prober
              interval: 30s
              ssh-user: cloud-user              # optional; default: the first ssh-user a rule grants for that host
            """;

    @Test
    void loadsTheContractExample() throws Exception {
        Inventory inv = InventoryFormat.parse(CONTRACT_EXAMPLE);

        assertEquals(2, inv.hosts().size());
        FleetHost web = inv.host("web-1").orElseThrow();
        assertEquals(new HostTarget(null, "192.0.2.10", 22), web.address());
        assertEquals(Map.of("env", "prod", "role", "web"), web.labels());
        assertEquals(Optional.empty(), web.hostKey());

        FleetHost build = inv.host("build-1").orElseThrow();
        assertEquals(new HostTarget(null, "build-1.internal", 2222), build.address());
        assertEquals(Map.of("env", "dev"), build.labels());
        assertEquals("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOyPkAnkpjQ0Ao3oWhb0g0iYKl8lOXuikJndr5ESgqCG",
                PublicKeyEntry.toString(build.hostKey().orElseThrow()));
        assertEquals(List.of("web-1", "build-1"), inv.hosts().stream().map(FleetHost::name).toList());

        assertEquals(List.of(
                new AccessRule(1, 10, Set.of(), Set.of("ops"), new HostSelector.Labels(Map.of("env", "prod")),
                        "cloud-user", true),
                new AccessRule(2, 14, Set.of(), Set.of("ops", "dev"), new HostSelector.Labels(Map.of("env", "dev")),
                        "cloud-user", false)),
                inv.access().rules());
        assertEquals(Optional.of(new ProbeSettings(Duration.ofSeconds(30), Optional.of("cloud-user"))), inv.probe());
        assertEquals(List.of(), inv.warnings());

        Identity alice = Identity.of("alice", "ops");
        Identity bob = Identity.of("bob", "dev");
        assertEquals(new AccessDecision.Granted("cloud-user", true, 1), inv.decide(alice, "web-1"));
        assertEquals(new AccessDecision.Granted("cloud-user", false, 2), inv.decide(alice, "build-1"));
        assertEquals(AccessDecision.Reason.NOT_GRANTED,
                assertInstanceOf(AccessDecision.Refused.class, inv.decide(bob, "web-1")).reason());
        assertEquals(AccessDecision.Reason.UNKNOWN_HOST,
                assertInstanceOf(AccessDecision.Refused.class, inv.decide(alice, "web-2")).reason());
        // names are exact: the URL cannot reach a host by another spelling
        assertFalse(inv.decide(alice, "WEB-1").granted());
        assertEquals(List.of(web, build), inv.visibleTo(alice));
        assertEquals(List.of(build), inv.visibleTo(bob));
        assertEquals(List.of(), inv.visibleTo(Identity.of("carol")));
        assertEquals(Optional.of("cloud-user"), inv.probeUser(web));
    }

    @Test
    void optionalPartsHaveDefaults() throws Exception {
        Inventory inv = InventoryFormat.parse("""
                hosts:
                  - name: a
                    address: "[2001:db8::1]:2200"
                  - {name: b.example, address: b.example, labels: {tier: 1, on: yes, empty: ''}}
                access:
                  - users: [alice]
                    groups: []
                    hosts: "*"
                    ssh-user: admin
                  - users: [bob]
                    hosts: {tier: 1}
                    ssh-user: bob
                probe: {}
                """);
        FleetHost a = inv.host("a").orElseThrow();
        assertEquals(new HostTarget(null, "2001:db8::1", 2200), a.address());
        assertEquals(Map.of(), a.labels());
        // label values are taken as written, whatever YAML thinks their type is
        assertEquals(Map.of("tier", "1", "on", "yes", "empty", ""), inv.host("b.example").orElseThrow().labels());
        AccessRule first = inv.access().rules().get(0);
        assertFalse(first.superuser());
        assertEquals(new HostSelector.Every(), first.hosts());
        assertEquals(Set.of("alice"), first.users());
        assertEquals(Optional.of(new ProbeSettings(ProbeSettings.DEFAULT_INTERVAL, Optional.empty())), inv.probe());
        // without probe.ssh-user the prober takes the first rule selecting the host
        assertEquals(Optional.of("admin"), inv.probeUser(a));
        assertTrue(inv.decide(Identity.of("bob"), "b.example").granted());
        assertFalse(inv.decide(Identity.of("bob"), "a").granted());
    }

    @Test
    void labelsKeepTheFilesOrder() throws Exception {
        Inventory inv = InventoryFormat.parse("""
                hosts:
                  - {name: a, address: a, labels: {zone: z1, env: prod, role: web, app: shop, tier: "1", os: el9}}
                access: []
                """);
        assertEquals(java.util.List.of("zone", "env", "role", "app", "tier", "os"),
                java.util.List.copyOf(inv.host("a").orElseThrow().labels().keySet()));
    }

    @Test
    void noProbeSectionMeansNoProber() throws Exception {
        Inventory inv = InventoryFormat.parse("hosts: []\naccess: []\n");
        assertEquals(Optional.empty(), inv.probe());
        assertEquals(0, inv.hosts().size());
    }

    @Test
    void warnsAboutRulesThatNeverApplyAndUnreachableHosts() throws Exception {
        Inventory inv = InventoryFormat.parse("""
                hosts:
                  - {name: a, address: a, labels: {env: prod}}
                  - {name: b, address: b, labels: {env: lab}}
                access:
                  - {groups: [ops], hosts: "*", ssh-user: viewer}
                  - {groups: [ops], hosts: {env: prod}, ssh-user: root-ish, superuser: true}
                """);
        assertEquals(List.of("rule 2 (line 6) never applies: rule 1 (line 5) matches everything it matches"),
                inv.warnings());
        Inventory lonely = InventoryFormat.parse("""
                hosts:
                  - {name: a, address: a, labels: {env: prod}}
                access:
                  - {groups: [ops], hosts: {env: dev}, ssh-user: viewer}
                """);
        assertEquals(List.of("host a is selected by no access rule: nobody can reach it"), lonely.warnings());
    }

    /** A document, then a piece of the expected message (which also names the line). */
    static Stream<Arguments> mistakes() {
        String rule = "access:\n  - {groups: [ops], hosts: \"*\", ssh-user: u}\n";
        String host = "hosts:\n  - {name: a, address: a}\n";
        return Stream.of(
                Arguments.of("", "expected a mapping with 'hosts:' and 'access:', found empty"),
                Arguments.of("- a\n", "line 1: expected a mapping"),
                Arguments.of("hosts: []\n", "missing 'access:'"),
                Arguments.of("access: []\n", "missing 'hosts:'"),
                Arguments.of("hosts: {}\naccess: []\n", "line 1: 'hosts:' must be a list, found a mapping"),
                Arguments.of(host + rule + "acess: []\n", "line 5: unknown key 'acess' (allowed: access, hosts, probe)"),
                // typos must not pass silently
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: \"*\", ssh_user: u}\n",
                        "line 4: access rule 1: unknown key 'ssh_user'"),
                Arguments.of(host + "access:\n  - {group: [ops], hosts: \"*\", ssh-user: u}\n",
                        "line 4: access rule 1: unknown key 'group'"),
                Arguments.of("hosts:\n  - {name: a, address: a, label: {env: prod}}\n" + rule,
                        "line 2: host 'a': unknown key 'label'"),
                Arguments.of(host + rule + "probe: {interval: 30s, user: x}\n", "line 5: probe: unknown key 'user'"),
                // names
                Arguments.of("hosts:\n  - {name: 'web 1', address: a}\n" + rule, "line 2: host 'web 1': bad name"),
                Arguments.of("hosts:\n  - {name: '..', address: a}\n" + rule, "host '..': bad name"),
                Arguments.of("hosts:\n  - {name: -a, address: a}\n" + rule, "bad name"),
                Arguments.of("hosts:\n  - {name: " + "a".repeat(64) + ", address: a}\n" + rule, "bad name"),
                Arguments.of("hosts:\n  - {name: wéb, address: a}\n" + rule, "bad name"),
                Arguments.of("hosts:\n  - {name: 'a/b', address: a}\n" + rule, "bad name"),
                Arguments.of("hosts:\n  - {address: a}\n" + rule, "line 2: host: missing 'name:'"),
                Arguments.of("hosts:\n  - {name: a, address: a}\n  - {name: b, address: b}\n  - {name: A, address: c}\n"
                        + rule, "line 4: host 'A': duplicate name (first on line 2"),
                // addresses
                Arguments.of("hosts:\n  - {name: a}\n" + rule, "host 'a': missing 'address:'"),
                Arguments.of("hosts:\n  - {name: a, address: root@a}\n" + rule,
                        "line 2: host 'a': address must be host[:port] without a user"),
                Arguments.of("hosts:\n  - {name: a, address: 'a:99999'}\n" + rule, "host 'a': address: bad port"),
                Arguments.of("hosts:\n  - {name: a, address: 'a b'}\n" + rule, "host 'a': address: whitespace"),
                Arguments.of("hosts:\n  - {name: a, address: -oProxyCommand=x}\n" + rule, "must not start with '-'"),
                Arguments.of("hosts:\n  - {name: a, address: ''}\n" + rule, "host 'a': address must be a non-empty value"),
                // host keys
                Arguments.of("hosts:\n  - {name: a, address: a, host-key: 'ssh-ed25519 AAAAnotbase64!'}\n" + rule,
                        "line 2: host 'a': host-key must be one OpenSSH public key line"),
                Arguments.of("hosts:\n  - {name: a, address: a, host-key: 'ssh-ed25519'}\n" + rule,
                        "host-key must be one OpenSSH public key line"),
                Arguments.of("hosts:\n  - {name: a, address: a, host-key: '@cert-authority * ssh-ed25519 "
                        + "AAAAC3NzaC1lZDI1NTE5AAAAIOyPkAnkpjQ0Ao3oWhb0g0iYKl8lOXuikJndr5ESgqCG'}\n" + rule,
                        "no options, markers or certificates"),
                Arguments.of("hosts:\n  - {name: a, address: a, host-key: 'ssh-rsa "
                        + "AAAAC3NzaC1lZDI1NTE5AAAAIOyPkAnkpjQ0Ao3oWhb0g0iYKl8lOXuikJndr5ESgqCG'}\n" + rule,
                        "host 'a': host-key"),
                // labels
                Arguments.of("hosts:\n  - {name: a, address: a, labels: [env]}\n" + rule,
                        "host 'a': labels must be a mapping"),
                Arguments.of("hosts:\n  - {name: a, address: a, labels: {env: [a, b]}}\n" + rule,
                        "host 'a': labels: value of 'env' must be a single value, found a list"),
                Arguments.of("hosts:\n  - {name: a, address: a, labels: {env: }}\n" + rule,
                        "value of 'env' must be a single value, found empty (write '' for empty)"),
                Arguments.of("hosts:\n  - {name: a, address: a, labels: {env: 'pr od'}}\n" + rule,
                        "bad value for label 'env'"),
                Arguments.of("hosts:\n  - {name: a, address: a, labels: {'e nv': x}}\n" + rule, "bad label key 'e nv'"),
                // rules
                Arguments.of(host + "access:\n  - {hosts: \"*\", ssh-user: u}\n",
                        "line 4: access rule 1: needs 'groups:' or 'users:'"),
                Arguments.of(host + "access:\n  - {groups: [], users: [], hosts: \"*\", ssh-user: u}\n",
                        "access rule 1: needs 'groups:' or 'users:'"),
                Arguments.of(host + "access:\n  - {groups: ops, hosts: \"*\", ssh-user: u}\n",
                        "access rule 1: groups must be a list such as [ops], found a single value"),
                Arguments.of(host + "access:\n  - {groups: [ops, ''], hosts: \"*\", ssh-user: u}\n",
                        "access rule 1: groups entries must be non-empty names"),
                Arguments.of(host + "access:\n  - {groups: [ops], ssh-user: u}\n", "access rule 1: missing 'hosts:'"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: all, ssh-user: u}\n",
                        "access rule 1: hosts must be \"*\" or labels such as {env: prod}, found 'all'"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: {}, ssh-user: u}\n",
                        "access rule 1: hosts: {} selects nothing"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: [a], ssh-user: u}\n",
                        "hosts must be \"*\" or labels"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: \"*\"}\n", "access rule 1: missing 'ssh-user:'"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: \"*\", ssh-user: 'root;id'}\n",
                        "access rule 1: bad ssh user name 'root;id'"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: \"*\", ssh-user: -oX}\n", "bad ssh user name"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: \"*\", ssh-user: u, superuser: yes}\n",
                        "access rule 1: superuser must be true or false, found 'yes'"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: \"*\", ssh-user: u, superuser: 'true'}\n",
                        "superuser must be true or false, found 'true'"),
                Arguments.of(host + "access:\n  - ops\n", "line 4: an access rule must be a mapping"),
                // probe
                Arguments.of(host + rule + "probe: {interval: 30}\n", "probe: interval: '30' is not a duration"),
                Arguments.of(host + rule + "probe: {interval: 1s}\n", "probe: probe interval must be between 5s and 24h"),
                Arguments.of(host + rule + "probe: {ssh-user: 'a b'}\n", "probe: bad ssh user name"),
                Arguments.of(host + rule + "probe: [x]\n", "the probe section must be a mapping"),
                // YAML features that have no place here
                Arguments.of(host + rule + "---\nhosts: []\n", "more than one YAML document"),
                Arguments.of("hosts:\n  - {name: a, address: a}\nhosts: []\n" + rule,
                        "line 3: not valid YAML: Duplicate field 'hosts'"),
                // a second 'hosts' in a rule must not quietly replace the first
                Arguments.of(host + "access:\n  - groups: [ops]\n    hosts: {env: prod}\n    ssh-user: u\n"
                        + "    hosts: \"*\"\n", "line 7: not valid YAML: Duplicate field 'hosts'"),
                Arguments.of("hosts:\n  - {name: a, address: a, labels: &l {env: prod}}\n"
                        + "  - {name: b, address: b, labels: *l}\n" + rule, "anchors"),
                Arguments.of(host + "access:\n  - {groups: [ops], hosts: \"*\", ssh-user: !!str u}\n", "YAML tags"),
                Arguments.of("hosts: [\n", "not valid YAML"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void refusesWithAClearMessage(String yaml, String expected) {
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryFormat.parse(yaml));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void reportsEveryBrokenEntry() {
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class, () -> InventoryFormat.parse("""
                hosts:
                  - {name: a, address: 'root@a'}
                  - {name: ok, address: ok}
                  - {name: 'b c', address: b}
                access:
                  - {groups: [ops], hosts: "*", ssh-user: u, superuser: maybe}
                  - {groups: [ops], hosts: "*", ssh-user: u}
                  - {groups: [ops], hosts: "*", sshuser: u}
                """));
        assertEquals(4, e.problems().size(), e.problems()::toString);
        assertTrue(e.problems().get(0).startsWith("line 2: host 'a'"), e.problems()::toString);
        assertTrue(e.problems().get(1).startsWith("line 4: host 'b c'"), e.problems()::toString);
        assertTrue(e.problems().get(2).startsWith("line 6: access rule 1"), e.problems()::toString);
        assertTrue(e.problems().get(3).startsWith("line 8: access rule 3"), e.problems()::toString);
        assertTrue(e.getMessage().startsWith("4 problems: "));
    }

    @Test
    void hostKeyMustMatchItsType() throws Exception {
        var pair = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        String line = PublicKeyEntry.toString(pair.getPublic());
        Inventory inv = InventoryFormat.parse("hosts:\n  - {name: a, address: a, host-key: '" + line
                + " a comment'}\naccess: []\n");
        assertTrue(KeyUtils.compareKeys(pair.getPublic(), inv.host("a").orElseThrow().hostKey().orElseThrow()));
        String lying = line.replace("ecdsa-sha2-nistp256 ", "ssh-ed25519 ");
        assertThrows(InvalidInventoryException.class,
                () -> InventoryFormat.parse("hosts:\n  - {name: a, address: a, host-key: '" + lying + "'}\naccess: []\n"));
    }

    @Test
    void refusesFilesThatAreNotUtf8() {
        InvalidInventoryException e = assertThrows(InvalidInventoryException.class,
                () -> InventoryFormat.decode(new byte[] {'h', 'o', (byte) 0xff}));
        assertEquals("the file is not UTF-8 text", e.getMessage());
    }
}
