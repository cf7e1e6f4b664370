package io.cockpitwsjava.audit;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cockpitwsjava.config.AuditConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The gateway's one {@link AuditLog}, opened from {@code cockpit.audit.*} at start and closed (its file
 * flushed and released) when the gateway stops. A file that cannot be opened fails the start: an audit log that
 * silently records nothing is worse than none.
 *
 * <p>A {@code @Singleton} on purpose: at shutdown Quarkus destroys the application-scoped beans first (the session
 * registry, which ends the sessions still open) and the singletons after them, so those sessions' {@code session-end}
 * lines are still written.
 */
@Singleton
public class AuditLogProducer {

    @Produces
    @Singleton
    AuditLog auditLog(AuditConfig config) {
        try {
            return AuditLog.open(config);
        } catch (IOException e) {
            // NoSuchFileException and friends name only the path: the exception's type says what is wrong
            throw new UncheckedIOException("cannot open the audit file " + config.file().map(Object::toString)
                    .orElse("") + " (cockpit.audit.file): " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    /** Opens the log at start, so that a file that cannot be opened stops the start rather than a later login. */
    void openAtStart(@Observes StartupEvent start, AuditLog log) {
        log.failures();
    }

    void close(@Disposes AuditLog log) {
        log.close();
    }
}
