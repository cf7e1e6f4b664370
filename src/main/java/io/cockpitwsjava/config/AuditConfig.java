package io.cockpitwsjava.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The audit log (docs/fleet.md, "Audit log"): one JSON line per event. */
@ConfigMapping(prefix = "cockpit.audit")
public interface AuditConfig {

    /** Write audit lines to standard output (apart from the normal log format, which goes through the log handler). */
    @WithDefault("true")
    boolean stdout();

    /** Also append audit lines to this file (created if missing). */
    Optional<Path> file();
}
