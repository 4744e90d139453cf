package dev.tokenauthority.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A {@code host:port} that must resolve to loopback only: the sidecar load tools refuse to send
 * load anywhere but this machine.
 */
record LoopbackTarget(String host, int port) {

    static LoopbackTarget parse(String target) {
        int colon = target.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port, got " + target);
        }
        String host = target.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(target.substring(colon + 1));
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException("only loopback targets are allowed, not " + target);
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in " + target, e);
        }
        return new LoopbackTarget(host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }

    /** picocli converter for {@code 127.0.0.1:7171}. */
    static final class Converter implements CommandLine.ITypeConverter<LoopbackTarget> {
        @Override
        public LoopbackTarget convert(String value) {
            return parse(value.trim());
        }
    }

    /** Reads {@code 500ms}, {@code 20s}, {@code 2m} or ISO-8601 durations. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)(us|ms|s|m)");

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.trim());
            if (!m.matches()) {
                return Duration.parse(value.trim());
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "us" -> Duration.ofNanos(n * 1000);
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
    }
}
