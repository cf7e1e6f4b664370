package io.cockpitwsjava.signin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.cockpitwsjava.testing.Keycloak;

/**
 * A browser's authorization-code round trip done by hand over HTTP, for assertions on each step (the browser tests
 * show that a real browser gets through; this one shows exactly what goes over the wire). Keeps one cookie jar per
 * host, follows no redirect by itself.
 */
final class CodeFlowClient {
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Map<String, String>> jars = new HashMap<>();

    HttpResponse<String> get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    HttpResponse<String> post(String url, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** Cookies this client holds for a host. */
    Map<String, String> cookies(String host) {
        return jars.computeIfAbsent(host, h -> new LinkedHashMap<>());
    }

    /**
     * Signs in at {@code signInUrl} (the gateway's sign-in path) through Keycloak's login form; returns the gateway's
     * last answer (the redirect to where the sign-in leads).
     */
    HttpResponse<String> signIn(String signInUrl, Keycloak.User user) {
        HttpResponse<String> toProvider = get(signInUrl);
        HttpResponse<String> loginPage = get(location(toProvider, 302));
        if (loginPage.statusCode() != 200) {
            throw new AssertionError("Keycloak login page: " + loginPage.statusCode() + " " + loginPage.body());
        }
        Matcher action = FORM_ACTION.matcher(loginPage.body());
        if (!action.find()) {
            throw new AssertionError("no login form in " + loginPage.body());
        }
        HttpResponse<String> back = post(action.group(1).replace("&amp;", "&"),
                Map.of("username", user.name(), "password", user.password(), "credentialId", ""));
        HttpResponse<String> callback = get(location(back, 302));             // code exchanged, cookie set
        HttpResponse<String> again = get(absolute(callback, location(callback, 302)));  // signed in
        return again;
    }

    static String location(HttpResponse<?> r, int status) {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + " from " + r.uri() + ", got " + r.statusCode() + " "
                    + r.headers().map() + " " + r.body());
        }
        return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location from " + r.uri()));
    }

    static String absolute(HttpResponse<?> from, String location) {
        return from.uri().resolve(location).toString();
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        HttpRequest probe = b.copy().build();
        String host = probe.uri().getHost();
        Map<String, String> jar = cookies(host);
        if (!jar.isEmpty()) {
            b.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String c : r.headers().allValues("Set-Cookie")) {
                String pair = c.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                boolean gone = c.toLowerCase().contains("max-age=0") || value.isEmpty();
                if (gone) {
                    jar.remove(name);
                } else {
                    jar.put(name, value);
                }
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
