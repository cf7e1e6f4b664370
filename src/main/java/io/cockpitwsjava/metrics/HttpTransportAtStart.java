package io.cockpitwsjava.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.cockpitwsjava.web.HttpTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Names the HTTP server's network transport once at start — INFO for a native one, INFO for NIO when none was asked
 * for, WARN when the native transport was asked for but did not load — and keeps it as the gauge
 * {@code cockpit_http_transport_info{transport="epoll|nio"}} (always 1), so a silent fallback to NIO shows where
 * operators look.
 */
@ApplicationScoped
public class HttpTransportAtStart implements MeterBinder {
    private static final Logger LOG = Logger.getLogger(HttpTransportAtStart.class);

    private final HttpTransport transport;

    /** The Vert.x instance the HTTP server runs on, and whether the configuration prefers a native transport. */
    @Inject
    public HttpTransportAtStart(Vertx vertx,
            @ConfigProperty(name = "quarkus.vertx.prefer-native-transport", defaultValue = "false") boolean preferred) {
        this(HttpTransport.of(vertx, preferred));
    }

    HttpTransportAtStart(HttpTransport transport) {
        this.transport = transport;
    }

    /** What this gateway runs on. */
    public HttpTransport transport() {
        return transport;
    }

    void onStart(@Observes StartupEvent start) {
        if (transport.fellBack()) {
            LOG.warn(transport.summary());
        } else {
            LOG.info(transport.summary());
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("cockpit.http.transport.info", () -> 1)
                .description("The HTTP server's network transport (tag transport: epoll = Netty's native transport,"
                        + " nio = the JDK's); always 1")
                .tag("transport", transport.name())
                .register(registry);
    }
}
