package io.cockpitwsjava.signin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP to the gateway under test for the sign-in tests: no redirects followed, no cookies kept. */
final class FleetHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** {@code base}: the gateway's URL ({@code @TestHTTPResource("/")}), without a trailing slash. */
    FleetHttp(URL base) {
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    String origin() {
        URI u = URI.create(base);
        return u.getScheme() + "://" + u.getAuthority();
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(builder(path, headers).GET().build());
    }

    HttpResponse<String> post(String path, String form, String... headers) {
        return send(builder(path, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private HttpRequest.Builder builder(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** The Set-Cookie header of the cookie named {@code name}, or null. */
    static String setCookie(HttpResponse<?> r, String name) {
        List<String> all = r.headers().allValues("Set-Cookie");
        return all.stream().filter(c -> c.startsWith(name + "=") || c.startsWith(name)).findFirst().orElse(null);
    }

    /** {@code name=value} of a Set-Cookie header, for a Cookie header. */
    static String pair(String setCookie) {
        return setCookie.split(";", 2)[0];
    }
}
