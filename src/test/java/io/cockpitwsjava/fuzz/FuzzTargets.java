package io.cockpitwsjava.fuzz;

import java.util.List;
import java.util.Optional;

import io.cockpitwsjava.beiboot.FernyStderrFuzz;
import io.cockpitwsjava.beiboot.PythonLiteralFuzz;
import io.cockpitwsjava.config.CockpitConfFuzz;
import io.cockpitwsjava.protocol.ControlMessageFuzz;
import io.cockpitwsjava.protocol.FrameDecoderFuzz;
import io.cockpitwsjava.protocol.WebSocketMessageFuzz;
import io.cockpitwsjava.session.ApplicationFuzz;
import io.cockpitwsjava.session.BasicCredentialsFuzz;
import io.cockpitwsjava.session.CookieNameTokenFuzz;
import io.cockpitwsjava.session.LoginAuthorizationFuzz;
import io.cockpitwsjava.protocol.HostTargetFuzz;
import io.cockpitwsjava.ssh.KnownHostsFuzz;
import io.cockpitwsjava.web.CookieHeaderFuzz;
import io.cockpitwsjava.web.ExternalChannelQueryFuzz;

/** Every fuzz target, by name (docs/SECURITY.md "Fuzzing" lists them with their documented errors). */
public final class FuzzTargets {

    /** The targets of the CI slice and of {@code src/scripts/fuzz} by default: all expected to pass. */
    public static final List<FuzzTarget> DEFAULT = List.of(
            new FuzzTarget("frame-decoder", FrameDecoderFuzz.class, FrameDecoderFuzz::fuzzerTestOneInput,
                    FrameDecoderFuzz::generate, FrameDecoderFuzz.DICTIONARY),
            new FuzzTarget("control-message", ControlMessageFuzz.class, ControlMessageFuzz::fuzzerTestOneInput,
                    ControlMessageFuzz::generate, ControlMessageFuzz.DICTIONARY),
            new FuzzTarget("websocket-message", WebSocketMessageFuzz.class, WebSocketMessageFuzz::fuzzerTestOneInput,
                    WebSocketMessageFuzz::generate, WebSocketMessageFuzz.DICTIONARY),
            new FuzzTarget("host-target", HostTargetFuzz.class, HostTargetFuzz::fuzzerTestOneInput,
                    HostTargetFuzz::generate, HostTargetFuzz.DICTIONARY),
            new FuzzTarget("known-hosts", KnownHostsFuzz.class, KnownHostsFuzz::fuzzerTestOneInput,
                    KnownHostsFuzz::generate, KnownHostsFuzz.DICTIONARY),
            new FuzzTarget("cookie-header", CookieHeaderFuzz.class, CookieHeaderFuzz::fuzzerTestOneInput,
                    CookieHeaderFuzz::generate, CookieHeaderFuzz.DICTIONARY),
            new FuzzTarget("basic-credentials", BasicCredentialsFuzz.class, BasicCredentialsFuzz::fuzzerTestOneInput,
                    BasicCredentialsFuzz::generate, BasicCredentialsFuzz.DICTIONARY),
            new FuzzTarget("login-authorization", LoginAuthorizationFuzz.class,
                    LoginAuthorizationFuzz::fuzzerTestOneInput, LoginAuthorizationFuzz::generate,
                    LoginAuthorizationFuzz.DICTIONARY),
            new FuzzTarget("application", ApplicationFuzz.class, ApplicationFuzz::fuzzerTestOneInput,
                    ApplicationFuzz::generate, ApplicationFuzz.DICTIONARY),
            new FuzzTarget("cockpit-conf", CockpitConfFuzz.class, CockpitConfFuzz::fuzzerTestOneInput,
                    CockpitConfFuzz::generate, CockpitConfFuzz.DICTIONARY),
            new FuzzTarget("ferny-stderr", FernyStderrFuzz.class, FernyStderrFuzz::fuzzerTestOneInput,
                    FernyStderrFuzz::generate, FernyStderrFuzz.DICTIONARY),
            new FuzzTarget("python-literal", PythonLiteralFuzz.class, PythonLiteralFuzz::fuzzerTestOneInput,
                    PythonLiteralFuzz::generate, PythonLiteralFuzz.DICTIONARY),
            new FuzzTarget("external-channel-query", ExternalChannelQueryFuzz.class,
                    ExternalChannelQueryFuzz::fuzzerTestOneInput, ExternalChannelQueryFuzz::generate,
                    ExternalChannelQueryFuzz.DICTIONARY),
            // found the cookie-attribute injection (issue 7 row 4) before CookieName escaped names; a regression guard
            new FuzzTarget("cookie-name", CookieNameTokenFuzz.class, CookieNameTokenFuzz::fuzzerTestOneInput,
                    CookieNameTokenFuzz::generate, CookieNameTokenFuzz.DICTIONARY));

    /** Targets for open defects: they fail today and run only when named. None at present. */
    public static final List<FuzzTarget> OPEN_DEFECTS = List.of();

    private FuzzTargets() {
    }

    /** A target by name, default or open-defect. */
    public static Optional<FuzzTarget> named(String name) {
        return java.util.stream.Stream.concat(DEFAULT.stream(), OPEN_DEFECTS.stream())
                .filter(t -> t.name().equals(name)).findFirst();
    }
}
