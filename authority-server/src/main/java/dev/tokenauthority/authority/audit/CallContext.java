package dev.tokenauthority.authority.audit;

/** What the transport knows about a call that the domain records: the caller's address and who acts. */
public record CallContext(String callerIp, Actor actor) {

    public CallContext withActor(Actor newActor) {
        return new CallContext(callerIp, newActor);
    }
}
