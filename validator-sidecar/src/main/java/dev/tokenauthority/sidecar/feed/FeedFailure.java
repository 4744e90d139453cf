package dev.tokenauthority.sidecar.feed;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why a feed stream failed, in words that name what to fix: a gRPC status alone ("UNAVAILABLE: io exception") left an
 * operator to guess between a stopped authority, a mistyped host, a TLS mismatch and a wrong secret.
 *
 * @param refusedCredentials whether the authority refused the client's credentials: retrying soon cannot help, so the
 *     client logs it as an error and backs off longer (see {@link FeedClient})
 */
record FeedFailure(String words, boolean refusedCredentials) {

    /**
     * A plaintext HTTP/2 client that reaches a TLS listener reads a TLS record where it expects a SETTINGS frame;
     * grpc-java reports the first bytes in hex, and a TLS record starts with 15 (alert) or 16 (handshake), then 03.
     */
    private static final String[] TLS_RECORD_DUMPS = {"bytes: 1503", "bytes: 1603"};
    /** How grpc-java reports a connection the server closed before its first frame, as a TLS listener does. */
    private static final String CLOSED_UNANSWERED = "Network closed for unknown reason";

    /**
     * The words for a stream to {@code replica} that ended with {@code end}; {@code answered}: whether any message had
     * arrived on it (then a cut connection is the authority stopping or the network, not a TLS mismatch).
     */
    static FeedFailure of(Throwable end, String replica, boolean answered) {
        for (Throwable cause = end; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return new FeedFailure("connection refused by " + replica + ": no authority listens there; start it, "
                        + "or correct --authority", false);
            }
            if (cause instanceof UnknownHostException) {
                return new FeedFailure("unknown host in " + replica + ": correct --authority", false);
            }
            if (cause.getClass().getSimpleName().equals("NotSslRecordException")) {
                return tls(replica, "this sidecar speaks TLS (--authority-tls) and the authority answered in "
                        + "plaintext: drop --authority-tls, or start the authority with --tls-cert and --tls-key");
            }
            if (cause instanceof SSLException) {
                return tls(replica, "the handshake failed (" + rootMessage(cause) + "): if the authority's "
                        + "certificate is not from a public CA, give the CA that signed it with --authority-ca");
            }
        }
        if (!(end instanceof StatusRuntimeException failure)) {
            return new FeedFailure(String.valueOf(end.getMessage()), false);
        }
        Status status = failure.getStatus();
        String description = status.getDescription() == null ? "" : status.getDescription();
        for (String dump : TLS_RECORD_DUMPS) {
            if (description.toLowerCase(Locale.ROOT).contains(dump)) {
                return tls(replica, "the authority speaks TLS and this sidecar plaintext: add --authority-tls "
                        + "(and --authority-ca if its certificate is not from a public CA)");
            }
        }
        if (description.equals(CLOSED_UNANSWERED) && answered) {
            return new FeedFailure("the stream was interrupted: " + replica + " stopped, restarted or became "
                    + "unreachable", false);
        }
        if (description.equals(CLOSED_UNANSWERED)) {
            return new FeedFailure(replica + " closed the connection without answering; an authority that serves "
                    + "TLS does so to a plaintext client: add --authority-tls (and --authority-ca) if it serves TLS",
                    false);
        }
        if (status.getCode() == Status.Code.UNAUTHENTICATED || status.getCode() == Status.Code.PERMISSION_DENIED) {
            return new FeedFailure(replica + " refused this sidecar's client (" + status.getCode() + ": " + description
                    + "): check --client-id and --client-secret-file, and that the client holds feed:subscribe", true);
        }
        return new FeedFailure(status.getCode() + (description.isEmpty() ? "" : ": " + description), false);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static FeedFailure tls(String replica, String words) {
        return new FeedFailure("TLS failure with " + replica + ": " + words, false);
    }
}
