package io.cockpitwsjava.signin;

import org.openqa.selenium.By;

import io.cockpitwsjava.testing.Browser;
import io.cockpitwsjava.testing.Keycloak;

/** Browser steps of the sign-in tests: the fleet page's own elements and Keycloak's login page (its own ids). */
final class FleetBrowser {
    private FleetBrowser() {
    }

    /** Opens the fleet page signed out, follows its "Sign in" link and Keycloak's login back to {@code landing}. */
    static void signInWithKeycloak(Browser browser, String fleetPage, String landing, Keycloak.User user) {
        browser.open(fleetPage);
        browser.visible("signed-out");
        browser.screenshot("signed-out");
        browser.click("sign-in");
        keycloakLogin(browser, user);
        awaitSignedIn(browser, landing, user.name());
    }

    /** Fills in Keycloak's login page. */
    static void keycloakLogin(Browser browser, Keycloak.User user) {
        browser.visible("username");
        browser.screenshot("keycloak-login-" + user.name());
        browser.type("username", user.name());
        browser.type("password", user.password());
        browser.click("kc-login");
    }

    /** Waits for the fleet page at {@code url} showing {@code user} in its header. */
    static void awaitSignedIn(Browser browser, String url, String user) {
        browser.await("the fleet page at " + url, d -> d.getCurrentUrl().equals(url));
        browser.await("user " + user + " in the header", d -> {
            var name = d.findElements(By.id("user-name"));
            return !name.isEmpty() && name.get(0).isDisplayed() && name.get(0).getText().equals(user);
        });
        browser.screenshot("signed-in-" + user);
    }

    /** Presses the fleet page's "Sign out" and waits for the signed-out page at {@code fleetPage}. */
    static void signOut(Browser browser, String fleetPage) {
        browser.await("the Sign out button", d -> {
            var buttons = d.findElements(By.cssSelector("#sign-out button"));
            if (buttons.isEmpty() || !buttons.get(0).isDisplayed()) {
                return null;
            }
            buttons.get(0).click();
            return true;
        });
        // the provider's logout comes back with its state in the query
        browser.await("back at " + fleetPage, d -> d.getCurrentUrl().replaceFirst("[?#].*$", "").equals(fleetPage));
        browser.visible("signed-out");
        browser.screenshot("signed-out-again");
    }

    /** The HTTP status of a same-origin fetch from the current page (redirects not followed: 0). */
    static long fetchStatus(Browser browser, String url) {
        Object status = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {credentials: 'same-origin', redirect: 'manual'})"
                + ".then(r => done(r.status), e => done(-1));", url);
        return ((Number) status).longValue();
    }
}
