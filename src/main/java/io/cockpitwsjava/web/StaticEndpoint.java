package io.cockpitwsjava.web;

import java.nio.file.Path;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.packages.BrandingFiles;
import io.cockpitwsjava.packages.HttpFile;
import io.cockpitwsjava.session.BridgeAssets;

/** Branding and static files (ws-contract §3.1), with the target's os-release for host applications. */
@Singleton
public class StaticEndpoint {

    @Inject
    GatewaySettings settings;
    @Inject
    BridgeAssets assets;

    private Path cockpitDataDir() {
        return settings.dataDirs().stream().map(d -> d.resolve("cockpit"))
                .filter(d -> java.nio.file.Files.isDirectory(d.resolve("static"))).findFirst()
                .orElse(Path.of("/usr/share/cockpit"));
    }

    void serve(Exchange ex, String relPath, Map<String, String> osRelease) {
        Map<String, String> os = osRelease == null ? assets.ownOsRelease() : osRelease;
        BrandingFiles files = new BrandingFiles(BrandingFiles.rootsFor(os, cockpitDataDir(), settings.configDirs(),
                settings.customLoginPage()));
        HttpFile f = files.serve(relPath, os);
        f.headers().forEach((k, v) -> ex.response().headers().set(k, v));
        if (f.status() == 200) {
            ex.response().headers().set("Access-Control-Allow-Origin", ex.selfOrigin());
            if (relPath.endsWith(".html")) {
                ex.response().headers().set("Content-Security-Policy",
                        ContentSecurityPolicy.forOrigin("default-src 'self' 'unsafe-inline';", ex.selfOrigin()));
            }
            ex.send(200, null, CacheType.CACHE, f.body());
        } else {
            ex.fail(f.status(), null);
        }
    }

    /** favicon.ico / apple-touch-icon.png: from the branding roots, no cache header. */
    void icon(Exchange ex, String name) {
        Map<String, String> os = assets.ownOsRelease();
        BrandingFiles files = new BrandingFiles(BrandingFiles.rootsFor(os, cockpitDataDir(), settings.configDirs(),
                settings.customLoginPage()));
        HttpFile f = files.serve(name, os);
        if (f.status() == 200) {
            f.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Cache-Control") && !k.equalsIgnoreCase("Vary")) {
                    ex.response().headers().set(k, v);
                }
            });
            ex.send(200, null, CacheType.NONE, f.body());
        } else {
            ex.fail(f.status(), null);
        }
    }
}
