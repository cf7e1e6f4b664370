package io.cockpitwsjava.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.cockpitwsjava.identity.AccessDecision;
import io.cockpitwsjava.identity.AccessPolicy;
import io.cockpitwsjava.identity.Identity;

/**
 * The fleet as one immutable value: hosts, access rules and prober settings from one version of the inventory file.
 * {@link InventoryFile} swaps whole instances, so a reader always sees one consistent version.
 */
public final class Inventory {

    /** No hosts and no rules: everything is refused. */
    public static final Inventory EMPTY = new Inventory(List.of(), AccessPolicy.DENY_ALL, Optional.empty());

    private final List<FleetHost> hosts;
    private final Map<String, FleetHost> byName;
    private final AccessPolicy access;
    private final Optional<ProbeSettings> probe;

    /** @throws IllegalArgumentException if two hosts have the same name, ignoring case */
    public Inventory(List<FleetHost> hosts, AccessPolicy access, Optional<ProbeSettings> probe) {
        this.hosts = List.copyOf(hosts);
        this.access = Objects.requireNonNull(access, "access");
        this.probe = Objects.requireNonNull(probe, "probe");
        Map<String, FleetHost> names = new LinkedHashMap<>();
        Map<String, String> folded = new LinkedHashMap<>();
        for (FleetHost h : this.hosts) {
            String previous = folded.putIfAbsent(h.name().toLowerCase(Locale.ROOT), h.name());
            if (previous != null) {
                throw new IllegalArgumentException("duplicate host name '" + h.name() + "'"
                        + (previous.equals(h.name()) ? "" : " (same as '" + previous + "' except for case)"));
            }
            names.put(h.name(), h);
        }
        this.byName = Map.copyOf(names);
    }

    /** All hosts in file order. */
    public List<FleetHost> hosts() {
        return hosts;
    }

    /** The host called exactly {@code name} (case-sensitive). */
    public Optional<FleetHost> host(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public AccessPolicy access() {
        return access;
    }

    /** Present if the file has a {@code probe:} section. */
    public Optional<ProbeSettings> probe() {
        return probe;
    }

    /**
     * The decision for {@code who} logging in to the inventory host {@code name}: names resolve through the inventory
     * only, an unknown name is refused.
     */
    public AccessDecision decide(Identity who, String name) {
        return host(name).<AccessDecision>map(h -> access.decide(who, h))
                .orElseGet(() -> new AccessDecision.Refused(AccessDecision.Reason.UNKNOWN_HOST,
                        who.user() + " asked for host '" + printable(name) + "', which is not in the inventory"));
    }

    /** The hosts {@code who} may reach, in file order (the fleet list). */
    public List<FleetHost> visibleTo(Identity who) {
        return access.visible(who, hosts);
    }

    /**
     * The account the prober uses on {@code host}: {@code probe.ssh-user} if set, else the first rule's
     * {@code ssh-user} that selects the host. Empty when there is no probe section or no rule selects the host.
     */
    public Optional<String> probeUser(FleetHost host) {
        return probe.flatMap(p -> p.sshUser().or(() -> access.firstSshUser(host)));
    }

    /** Things that are valid but probably not meant: rules that never apply, hosts no rule reaches. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        access.shadowed().forEach(s -> out.add(s.toString()));
        for (FleetHost h : hosts) {
            if (access.firstSshUser(h).isEmpty()) {
                out.add("host " + h.name() + " is selected by no access rule: nobody can reach it");
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Inventory[" + hosts.size() + " hosts, " + access.rules().size() + " rules"
                + (probe.isPresent() ? ", probe every " + probe.get().interval() : "") + "]";
    }

    /** Names from a URL reach log lines; keep them short printable ASCII there. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : "?"));
        return b.toString();
    }
}
