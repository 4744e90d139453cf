package dev.tokenauthority.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.grpc.StatusRuntimeException;
import java.util.Set;
import org.slf4j.Marker;

/**
 * Drops grpc-java's own report of a request it could not take (a message that does not parse, one over the size
 * limit): a stack trace of thirty-odd frames per request, logged by the transport, while the call was answered with
 * its status and the request log already has its one line. Such a report is a {@link StatusRuntimeException} thrown
 * where the message is read; any other throwable from these loggers (a bug) is still logged in full.
 */
final class AnsweredRequestFilter extends TurboFilter {

    /** Where grpc-java reports a request it could not deframe or parse. */
    static final Set<String> TRANSPORT_LOGGERS = Set.of("io.grpc.internal.SerializingExecutor",
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream", "io.grpc.netty.NettyServerStream");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable thrown) {
        if (thrown instanceof StatusRuntimeException && TRANSPORT_LOGGERS.contains(logger.getName())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
