package io.cockpitwsjava.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the merged {@link GatewaySettings} injectable. */
@ApplicationScoped
public class SettingsProducer {

    @Produces
    @Singleton
    GatewaySettings settings(GatewayConfig config) {
        var env = System.getenv();
        var conf = CockpitConf.load(config.confFiles().orElseGet(() -> CockpitConf.defaultFiles(env)));
        return GatewaySettings.from(config, conf, env);
    }
}
