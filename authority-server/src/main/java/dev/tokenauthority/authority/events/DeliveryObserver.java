package dev.tokenauthority.authority.events;

/** What the delivery worker reports, for the metrics (implemented there; the worker knows no Prometheus). */
public interface DeliveryObserver {

    /** How one attempt at one event ended. */
    enum Outcome { DELIVERED, REFUSED, RETRIED, EXPIRED }

    void attempted(Outcome outcome);

    DeliveryObserver NONE = outcome -> { };
}
