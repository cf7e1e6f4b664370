package io.cockpitwsjava.web;

import java.util.List;

import jakarta.inject.Singleton;

import io.cockpitwsjava.protocol.Limits;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Listener settings the Cockpit contract needs: the {@code cockpit1} subprotocol, browser messages of at least
 * 1 MiB, request heads up to 16 KiB (known_hosts travel in the Authorization header), and HTTP/1.1 only so
 * login reason phrases reach login.js (h2 has none).
 */
@Singleton
public class ServerOptions implements HttpServerOptionsCustomizer {
    static final int MAX_FRAME = 1024 * 1024;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private static void apply(HttpServerOptions options) {
        options.setWebSocketSubProtocols(List.of("cockpit1"));
        options.setMaxWebSocketFrameSize(MAX_FRAME);
        options.setMaxWebSocketMessageSize(Limits.MAX_BROWSER_MESSAGE_BYTES);
        options.setMaxHeaderSize(16 * 1024);
        options.setHttp2ClearTextEnabled(false);
        options.setUseAlpn(false);
        options.setPerMessageWebSocketCompressionSupported(false);
        options.setPerFrameWebSocketCompressionSupported(false);
    }
}
