package io.cockpitwsjava.metrics;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.cockpitwsjava.bridge.BridgeLauncher;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.ssh.HostAccessPolicy;
import io.cockpitwsjava.ssh.UnattendedCredentials;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkus.runtime.StartupEvent;

/**
 * At start-up, warns when the gateway's own key or agent logs in without the user's password while
 * {@code allowed-hosts} admits any host (issue 7 row 13), and keeps that fact as the gauge
 * {@code cockpit_ssh_unattended_credentials_exposed} (1 = exposed) so that monitoring can alert on it.
 */
@ApplicationScoped
public class UnattendedCredentialsAtStart implements MeterBinder {
    private static final Logger LOG = Logger.getLogger(UnattendedCredentialsAtStart.class);

    private final boolean exposed;
    private final UnattendedCredentials credentials;
    private final HostAccessPolicy policy;

    /** The same environment and policy the SSH connector uses. */
    @Inject
    public UnattendedCredentialsAtStart(GatewaySettings settings) {
        this(BridgeLauncher.accessPolicy(settings), System.getenv());
    }

    UnattendedCredentialsAtStart(HostAccessPolicy policy, Map<String, String> env) {
        this.credentials = UnattendedCredentials.of(env);
        this.policy = policy;
        this.exposed = credentials.exposedToAnyHost(policy);
    }

    void onStart(@Observes StartupEvent start) {
        credentials.warning(policy).ifPresent(LOG::warn);
        credentials.note(policy).ifPresent(LOG::info);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("cockpit.ssh.unattended.credentials.exposed", () -> exposed ? 1 : 0)
                .description("1 if a key or agent of the gateway logs in without the user's password while "
                        + "cockpit.ssh.allowed-hosts admits any host")
                .register(registry);
    }
}
