package dev.tokenauthority.authority.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The cookie's exact Set-Cookie values and how a Cookie header is read; end to end in GrpcWebClientTest. */
class RefreshCookieTest {

    private static final Instant EXPIRES = Instant.parse("2026-12-12T10:00:00Z");

    @Test
    void aSecureCookieIsHostPrefixedWithPathSlashAndNoDomain() {
        assertThat(RefreshCookie.set("ta_rt_x.y", EXPIRES, true)).isEqualTo("__Host-ta_refresh=ta_rt_x.y; Path=/; "
                + "Expires=Sat, 12 Dec 2026 10:00:00 GMT; HttpOnly; SameSite=Strict; Secure");
        assertThat(RefreshCookie.clear(true)).isEqualTo("__Host-ta_refresh=; Path=/; Max-Age=0; "
                + "Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict; Secure");
    }

    @Test
    void aPlainCookieKeepsTheAuthServicePath() {
        assertThat(RefreshCookie.set("ta_rt_x.y", EXPIRES, false)).isEqualTo("ta_refresh=ta_rt_x.y; "
                + "Path=/tokenauthority.v1.AuthService/; Expires=Sat, 12 Dec 2026 10:00:00 GMT; HttpOnly; SameSite=Strict");
    }

    @Test
    void onlyTheExactNameOfTheModeIsRead() throws Exception {
        assertThat(RefreshCookie.read("a=1; __Host-ta_refresh=t1 ; b=2", true)).contains("t1");
        assertThat(RefreshCookie.read("ta_refresh=t1", true)).isEmpty();
        assertThat(RefreshCookie.read("__host-ta_refresh=t1; my_ta_refresh=t2; __Host-ta_refresh2=t3", true)).isEmpty();
        assertThat(RefreshCookie.read("ta_refresh=t1", false)).contains("t1");
        assertThat(RefreshCookie.read("__Host-ta_refresh=", true)).isEmpty();
        assertThat(RefreshCookie.read(null, true)).isEmpty();
    }

    @Test
    void twoRefreshCookiesAreAmbiguous() {
        for (String header : new String[] {"__Host-ta_refresh=a; __Host-ta_refresh=b",
                "__Host-ta_refresh=a; x=1; __Host-ta_refresh="}) {
            assertThatThrownBy(() -> RefreshCookie.read(header, true)).as(header)
                    .isInstanceOf(RefreshCookie.AmbiguousCookies.class);
        }
        for (String header : new String[] {"ta_refresh=a; ta_refresh=b", "ta_refresh=a; __Host-ta_refresh=b"}) {
            assertThatThrownBy(() -> RefreshCookie.read(header, false)).as(header)
                    .isInstanceOf(RefreshCookie.AmbiguousCookies.class);
        }
    }

    @Test
    void onASecureListenerAPlainCookieBesideTheHostCookieIsIgnoredNotAmbiguous() throws Exception {
        // Any host of the parent domain can set ta_refresh with Domain=parent, which this host cannot delete: were it
        // ambiguous, a sibling subdomain could make every refresh of every user fail for as long as it likes.
        assertThat(RefreshCookie.read("ta_refresh=evil; __Host-ta_refresh=ours", true)).contains("ours");
        assertThat(RefreshCookie.read("__Host-ta_refresh=ours; x=1; ta_refresh=", true)).contains("ours");
    }

    @Test
    void cookiesOnlyOfTheOtherModesNameAreNotRead() throws Exception {
        assertThat(RefreshCookie.read("ta_refresh=a; ta_refresh=b", true)).isEmpty();
        assertThat(RefreshCookie.read("__Host-ta_refresh=a", false)).isEmpty();
    }
}
