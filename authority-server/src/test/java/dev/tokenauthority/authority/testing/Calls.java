package dev.tokenauthority.authority.testing;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Assertions helpers for gRPC outcomes. */
public final class Calls {

    private Calls() {}

    /** The status code the call ended with, OK when it succeeded. */
    public static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    /** The failure of a call that must fail. */
    public static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("call succeeded");
    }
}
