package io.cockpitwsjava.web;

import java.nio.file.Path;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.cockpitwsjava.config.GatewaySettings;
import io.cockpitwsjava.packages.BrandingFiles;
import io.cockpitwsjava.packages.HttpFile;
import io.cockpitwsjava.session.BridgeAssets;

/** Branding and static files (docs/protocol.md §3.1), with the target's os-release for host applications. */
@Singleton
public class StaticEndpoint {

    @Inject
    GatewaySettings settings;
    @Inject
    BridgeAssets assets;

    /** Branding roots depend only on ID, VARIANT_ID and ID_LIKE: resolved once per distinct triple. */
    private final java.util.Map<java.util.List<String>, BrandingFiles> branding = new java.util.concurrent.ConcurrentHashMap<>();

    private BrandingFiles brandingFor(Map<String, String> os) {
        var key = java.util.List.of(os.getOrDefault("ID", ""), os.getOrDefault("VARIANT_ID", ""),
                os.getOrDefault("ID_LIKE", ""));
        java.util.function.Function<java.util.List<String>, BrandingFiles> resolve = k -> new BrandingFiles(
                BrandingFiles.rootsFor(Map.of("ID", k.get(0), "VARIANT_ID", k.get(1), "ID_LIKE", k.get(2)),
                        cockpitDataDir(), settings.configDirs(), settings.customLoginPage()));
        // targets report their own os-release: keep the cache bounded whatever they claim
        BrandingFiles cached = branding.get(key);
        if (cached != null) {
            return cached;
        }
        return branding.size() < 64 ? branding.computeIfAbsent(key, resolve) : resolve.apply(key);
    }

    private Path cockpitDataDir() {
        return settings.dataDirs().stream().map(d -> d.resolve("cockpit"))
                .filter(d -> java.nio.file.Files.isDirectory(d.resolve("static"))).findFirst()
                .orElse(Path.of("/usr/share/cockpit"));
    }

    void serve(Exchange ex, String relPath, Map<String, String> osRelease) {
        Map<String, String> os = osRelease == null ? assets.ownOsRelease() : osRelease;
        HttpFile f = brandingFor(os).serve(relPath, os);
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
        HttpFile f = brandingFor(os).serve(name, os);
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
