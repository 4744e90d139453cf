package dev.tokenauthority.authority.session;

import dev.tokenauthority.authority.audit.Actor;
import dev.tokenauthority.authority.audit.CallContext;

/**
 * A signed-in user as of this call, from a live access token: who they are and which of their
 * sessions the token belongs to (its {@code sid}, "this device").
 */
public record SessionOwner(String userId, String currentSessionId) {

    /** The call's context with this user as the actor of what it audits. */
    public CallContext actingIn(CallContext call) {
        return call.withActor(Actor.user(userId, null));
    }
}
