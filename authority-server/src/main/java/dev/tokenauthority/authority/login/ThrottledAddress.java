package dev.tokenauthority.authority.login;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The address a per-IP login limit counts under. An IPv4 address is itself. An IPv6 address counts
 * under its /64: a subscriber is routinely given a whole /64 (RFC 6177 recommends at least that)
 * and can send every guess from a fresh address in it, which would give each guess a fresh limit.
 */
final class ThrottledAddress {

    private ThrottledAddress() {}

    /** {@code 2001:db8:1:2::/64} for an IPv6 address in that network; anything else unchanged. */
    static String of(String callerIp) {
        if (callerIp == null || callerIp.indexOf(':') < 0) {
            return callerIp;
        }
        try {
            // A literal with a colon is parsed, never looked up in DNS.
            if (!(InetAddress.getByName(callerIp) instanceof Inet6Address v6)) {
                return callerIp;
            }
            byte[] bytes = v6.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int group = 0; group < 4; group++) {
                prefix.append(Integer.toHexString((bytes[2 * group] & 0xff) << 8 | bytes[2 * group + 1] & 0xff))
                        .append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return callerIp;
        }
    }
}
