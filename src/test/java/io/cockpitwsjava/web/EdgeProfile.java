package io.cockpitwsjava.web;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A gateway behind a TLS proxy that says so in {@code X-Forwarded-Proto}, with a 3 s request-head timeout so the
 * slow-client tests take seconds (the 30 s default is checked by {@code WebEdgeDefaultsTest}).
 */
public class EdgeProfile implements QuarkusTestProfile {
    static final int HEAD_TIMEOUT_SECONDS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "cockpit.web.request-head-timeout", HEAD_TIMEOUT_SECONDS + "s",
                "cockpit.web.protocol-header", "X-Forwarded-Proto",
                "cockpit.web.hsts-max-age", "1d");
    }
}
