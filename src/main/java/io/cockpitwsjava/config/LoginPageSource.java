package io.cockpitwsjava.config;

/** Which login page the gateway serves to browsers without a session ({@code cockpit.web.login-page}). */
public enum LoginPageSource {
    /** The gateway's own page, built from {@code frontend/} into the jar. */
    BUILTIN,
    /** Cockpit's {@code static/login.html} from the installed web assets (or {@code CustomLoginPage}). */
    COCKPIT
}
