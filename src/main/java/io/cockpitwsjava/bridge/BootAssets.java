package io.cockpitwsjava.bridge;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.cockpitwsjava.beiboot.BeipackPayload;
import io.cockpitwsjava.beiboot.BootSequence;
import io.cockpitwsjava.beiboot.OsSupportPolicy;
import io.cockpitwsjava.beiboot.RemoteBridgeMode;

/**
 * What every bridge start needs, loaded once: the remote-bridge mode, the beipack payload, the files whose existence
 * a beibooted target reports, and which target systems beiboot supports.
 */
public final class BootAssets {
    private static final Logger LOG = Logger.getLogger(BootAssets.class);

    private final RemoteBridgeMode mode;
    private final BeipackPayload payload;
    private final List<String> reportFiles;
    private final OsSupportPolicy osPolicy;

    private BootAssets(RemoteBridgeMode mode, BeipackPayload payload, List<String> reportFiles, OsSupportPolicy osPolicy) {
        this.mode = mode;
        this.payload = payload;
        this.reportFiles = List.copyOf(reportFiles);
        this.osPolicy = osPolicy;
    }

    /**
     * @param remoteBridge    {@code [Ssh-Login] RemoteBridge}: auto, never, supported or always
     * @param beipack         a prebuilt payload, else the installed cockpit-bridge package's (or packed from its module)
     * @param reportFiles     manifest condition paths a beibooted target reports on
     * @param gatewayOsRelease the gateway's own os-release (beiboot's supported-system check compares with it)
     */
    public static BootAssets load(String remoteBridge, Optional<Path> beipack, List<String> reportFiles,
            Map<String, String> gatewayOsRelease) {
        RemoteBridgeMode mode = RemoteBridgeMode.parse(remoteBridge);
        BeipackPayload payload;
        try {
            payload = BeipackPayload.load(beipack);
        } catch (RuntimeException e) {
            // without a payload the gateway still serves targets that have cockpit-bridge installed
            LOG.errorf("no bridge payload, so targets without an installed cockpit-bridge cannot be used: %s",
                    e.getMessage());
            payload = BeipackPayload.of(new byte[] { (byte) 0xFD, '7', 'z', 'X', 'Z', 0 }, "none");
            mode = RemoteBridgeMode.ALWAYS;
        }
        LOG.infof("bridge payload %d bytes from %s; remote bridge mode %s; %d manifest condition paths",
                payload.size(), payload.source(), mode, reportFiles.size());
        return new BootAssets(mode, payload, reportFiles, OsSupportPolicy.defaults(gatewayOsRelease));
    }

    /** The state machine for one bridge start. */
    public BootSequence newSequence() {
        return new BootSequence(mode, payload, reportFiles, osPolicy);
    }
}
