package io.cockpitwsjava.audit;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cockpitwsjava.config.AuditConfig;

/**
 * The gateway's one {@link AuditLog}, opened from {@code cockpit.audit.*} when first needed and closed (its file
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
            throw new UncheckedIOException("cannot open the audit file " + config.file().map(Object::toString)
                    .orElse("") + ": " + e.getMessage(), e);
        }
    }

    void close(@Disposes AuditLog log) {
        log.close();
    }
}
