package io.cockpitwsjava.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code access:} rules in file order, and the one place that decides: deny by default; otherwise the
 * <em>first</em> rule (in file order) that names the identity and selects the host decides, both the SSH user and
 * superuser. Later rules are not consulted, so one rule is one complete grant that the audit log can name. Put
 * narrower rules first; {@link #shadowed()} reports rules that can never decide.
 */
public record AccessPolicy(List<AccessRule> rules) {

    /** No rules: nobody reaches anything. */
    public static final AccessPolicy DENY_ALL = new AccessPolicy(List.of());

    public AccessPolicy {
        rules = List.copyOf(rules);
    }

    /** The decision for {@code who} logging in to {@code host}. */
    public AccessDecision decide(Identity who, LabelledHost host) {
        for (AccessRule rule : rules) {
            if (rule.grants(who, host)) {
                return new AccessDecision.Granted(rule.sshUser(), rule.superuser(), rule.number());
            }
        }
        return new AccessDecision.Refused(AccessDecision.Reason.NOT_GRANTED,
                "no access rule grants " + who.user() + " host " + host.name());
    }

    /** The hosts among {@code hosts} that {@code who} may reach, in their given order. */
    public <H extends LabelledHost> List<H> visible(Identity who, Collection<H> hosts) {
        return hosts.stream().filter(h -> decide(who, h).granted()).toList();
    }

    /** The SSH user of the first rule that selects {@code host}, whoever it names (the prober's default account). */
    public Optional<String> firstSshUser(LabelledHost host) {
        return rules.stream().filter(r -> r.hosts().matches(host.labels())).map(AccessRule::sshUser).findFirst();
    }

    /** A rule that never decides because an earlier one matches everything it matches. */
    public record Shadowed(AccessRule rule, AccessRule by) {
        @Override
        public String toString() {
            return rule.describe() + " never applies: " + by.describe() + " matches everything it matches";
        }
    }

    /** Rules made useless by an earlier rule (a warning for whoever edits the file). */
    public List<Shadowed> shadowed() {
        List<Shadowed> out = new ArrayList<>();
        for (int j = 0; j < rules.size(); j++) {
            for (int i = 0; i < j; i++) {
                if (rules.get(i).shadows(rules.get(j))) {
                    out.add(new Shadowed(rules.get(j), rules.get(i)));
                    break;
                }
            }
        }
        return out;
    }
}
