/**
 * Where the page posts its login and where it goes afterwards (docs/protocol.md §3, §5.2). The page is served for any
 * shell path; `/=HOST/...` means a login to HOST (application `cockpit+=HOST`), `/cockpit/...` and
 * `/cockpit+NAME/...` keep their application, everything else belongs to the default application `cockpit`.
 */

export interface PageLocation {
    /** UrlRoot without slashes, or "" (from the injected `<base href>`). */
    urlRoot: string;
    /** Application of the page's own URL, e.g. `cockpit` or `cockpit+=db1`. */
    application: string;
    /** Host named in a `/=HOST` URL, else "". */
    hostFromPath: string;
}

/** Derives the page location from `location.pathname` and the document's base URL path. */
export function pageLocation(pathname: string, basePath: string): PageLocation {
    let path = pathname || "/";
    let urlRoot = "";
    if (basePath !== "/" && basePath !== "") {
        urlRoot = basePath.replace(/^\/+|\/+$/g, "");
        if (urlRoot && path.indexOf("/" + urlRoot) === 0)
            path = path.substring(urlRoot.length + 1) || "/";
    }
    let hostFromPath = "";
    if (path.indexOf("/=") === 0) {
        hostFromPath = path.substring(2).split("/")[0];
        path = "/cockpit+" + path.split("/")[1];
    } else if (path.indexOf("/cockpit/") !== 0 && path.indexOf("/cockpit+") !== 0) {
        path = "/cockpit";
    }
    return { urlRoot, application: path.split("/")[1], hostFromPath };
}

/** The application a login goes to: the host's own when "Connect to" is filled in. */
export function loginApplication(loc: PageLocation, machine: string): string {
    return machine ? "cockpit+=" + machine : loc.application;
}

/** `/[UrlRoot/]APPLICATION/login`. */
export function loginPath(loc: PageLocation, application: string): string {
    return (loc.urlRoot ? "/" + loc.urlRoot : "") + "/" + application + "/login";
}

/**
 * The URL to open after a successful login, or null to reload the current one (keeping the path and hash the
 * user came with). A host typed into "Connect to" that is not the page's own application opens `/=HOST`.
 */
export function urlAfterLogin(loc: PageLocation, application: string, machine: string): string | null {
    if (machine && application !== loc.application)
        return (loc.urlRoot ? "/" + loc.urlRoot : "") + "/=" + machine;
    return null;
}

/** The page is shown inside a frame of the shell (an unauthenticated package page). */
export function isNested(pathname: string, loc: PageLocation): boolean {
    const prefix = loc.urlRoot ? "/" + loc.urlRoot : "";
    return pathname.indexOf(prefix + "/cockpit/") === 0 || pathname.indexOf(prefix + "/cockpit+") === 0;
}
