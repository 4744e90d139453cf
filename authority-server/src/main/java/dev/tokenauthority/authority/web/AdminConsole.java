package dev.tokenauthority.authority.web;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;

/**
 * The admin console's files, built into the jar by the Maven build (authority-server/console):
 * every asset is served from here, nothing from a CDN, and the page may only talk to this origin.
 */
final class AdminConsole {

    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    private AdminConsole() {}

    static HttpService files() {
        return FileService.builder(AdminConsole.class.getClassLoader(), "admin-console")
                .cacheControl("no-cache")
                .setHeader("content-security-policy", CONTENT_SECURITY_POLICY)
                .setHeader("x-content-type-options", "nosniff")
                .setHeader("referrer-policy", "no-referrer")
                .build();
    }

    /** The console's favicon (built with it) also at /favicon.ico, which browsers ask for on their own. */
    static HttpService favicon() {
        return HttpFile.builder(AdminConsole.class.getClassLoader(), "admin-console/favicon.ico")
                .cacheControl("max-age=86400")
                .build()
                .asService();
    }
}
