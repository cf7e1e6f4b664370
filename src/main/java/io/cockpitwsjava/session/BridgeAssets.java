package io.cockpitwsjava.session;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cockpitwsjava.beiboot.BeipackPayload;
import io.cockpitwsjava.beiboot.OsSupportPolicy;
import io.cockpitwsjava.beiboot.RemoteBridgeMode;
import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.packages.PackageRepository;
import io.quarkus.runtime.Startup;

/**
 * What every bridge start needs, loaded once at start-up: the beipack payload, the gateway's own Cockpit
 * packages (for beibooted targets) and the list of files whose existence the target reports.
 */
@Singleton
@Startup
public class BridgeAssets {
    private static final Logger LOG = Logger.getLogger(BridgeAssets.class);

    private final BeipackPayload payload;
    private final PackageRepository packages;
    private final List<String> reportFiles;
    private final RemoteBridgeMode mode;
    private final OsSupportPolicy osPolicy;
    /** Read once: the login page and branding ask for it on every request. */
    private final Map<String, String> ownOsRelease;

    @Inject
    public BridgeAssets(GatewaySettings settings) {
        RemoteBridgeMode configured = RemoteBridgeMode.parse(settings.remoteBridge());
        BeipackPayload loaded;
        try {
            loaded = BeipackPayload.load(settings.beipack());
        } catch (RuntimeException e) {
            // without a payload the gateway still serves targets that have cockpit-bridge installed
            LOG.errorf("no bridge payload, so targets without an installed cockpit-bridge cannot be used: %s",
                    e.getMessage());
            loaded = BeipackPayload.of(new byte[] { (byte) 0xFD, '7', 'z', 'X', 'Z', 0 }, "none");
            configured = RemoteBridgeMode.ALWAYS;
        }
        this.mode = configured;
        this.payload = loaded;
        this.packages = new PackageRepository(settings.dataDirs(), settings.configDirs(), settings.bridgeVersion());
        this.reportFiles = packages.reportFiles();
        this.ownOsRelease = io.cockpitwsjava.packages.OsRelease.loadLocal();
        this.osPolicy = OsSupportPolicy.defaults(ownOsRelease);
        LOG.infof("bridge payload %d bytes from %s; remote bridge mode %s; %d manifest condition paths",
                payload.size(), payload.source(), mode, reportFiles.size());
    }

    public BeipackPayload payload() {
        return payload;
    }

    public PackageRepository packages() {
        return packages;
    }

    public List<String> reportFiles() {
        return reportFiles;
    }

    public RemoteBridgeMode mode() {
        return mode;
    }

    public OsSupportPolicy osPolicy() {
        return osPolicy;
    }

    /** The gateway's own os-release (login page branding for non-host applications). */
    public Map<String, String> ownOsRelease() {
        return ownOsRelease;
    }
}
