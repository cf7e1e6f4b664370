package io.cockpitwsjava.session;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.cockpitwsjava.bridge.BootAssets;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.packages.OsRelease;
import io.cockpitwsjava.packages.PackageRepository;
import io.quarkus.runtime.Startup;

/**
 * What every login needs, loaded once at start-up: what a bridge start needs ({@link BootAssets}), the gateway's own
 * Cockpit packages (for beibooted targets) and the gateway's os-release.
 */
@Singleton
@Startup
public class BridgeAssets {
    private final BootAssets boot;
    private final PackageRepository packages;
    /** Read once: the login page and branding ask for it on every request. */
    private final Map<String, String> ownOsRelease;

    @Inject
    public BridgeAssets(GatewaySettings settings) {
        this.packages = new PackageRepository(settings.dataDirs(), settings.configDirs(), settings.bridgeVersion());
        this.ownOsRelease = OsRelease.loadLocal();
        this.boot = BootAssets.load(settings.remoteBridge(), settings.beipack(), packages.reportFiles(), ownOsRelease);
    }

    /** What a bridge start needs. */
    public BootAssets boot() {
        return boot;
    }

    public PackageRepository packages() {
        return packages;
    }

    /** The gateway's own os-release (login page branding for non-host applications). */
    public Map<String, String> ownOsRelease() {
        return ownOsRelease;
    }
}
