package io.cockpitwsjava.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The provider origin the fleet page's CSP {@code form-action} names for the sign-out redirect. */
class SignInOriginTest {

    @Test
    void theOriginOfAProviderUrl() {
        assertEquals(Optional.of("https://id.example.org"), SignIn.origin("https://id.example.org/realms/ops"));
        assertEquals(Optional.of("http://127.0.0.1:8180"), SignIn.origin(" http://127.0.0.1:8180/realms/cockpit/ "));
        assertEquals(Optional.of("https://[::1]:8443"), SignIn.origin("HTTPS://[::1]:8443/realms/x"));
    }

    @Test
    void nothingForWhatIsNotAnAbsoluteHttpUrl() {
        assertEquals(Optional.empty(), SignIn.origin("/realms/ops"));
        assertEquals(Optional.empty(), SignIn.origin("javascript:alert(1)"));
        assertEquals(Optional.empty(), SignIn.origin("http://bad host/"));
    }
}
