package io.cockpitwsjava.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.cockpitwsjava.session.LoginService;
import io.cockpitwsjava.session.SessionRegistry;

/**
 * Readiness of this gateway instance ({@code /q/health/ready} on the management port): up once the session
 * and login services exist, with their load as data so an operator sees which replica holds the sessions.
 */
@Readiness
@ApplicationScoped
public class SessionsReadiness implements HealthCheck {
    private final SessionRegistry sessions;
    private final LoginService logins;

    @Inject
    public SessionsReadiness(SessionRegistry sessions, LoginService logins) {
        this.sessions = sessions;
        this.logins = logins;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("sessions")
                .up()
                .withData("open", sessions.size())
                .withData("logins-in-flight", logins.loginsInFlight())
                .build();
    }
}
