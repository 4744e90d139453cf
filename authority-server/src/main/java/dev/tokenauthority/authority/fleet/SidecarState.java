package dev.tokenauthority.authority.fleet;

/** How current a listed sidecar is; see {@link SidecarFleet#LAGGING_AFTER} and {@link SidecarFleet#SILENT_AFTER}. */
public enum SidecarState {
    /** Connected, and no entry it has not applied was recorded more than {@link SidecarFleet#LAGGING_AFTER} ago. */
    FRESH,
    /** Connected, with an entry recorded more than {@link SidecarFleet#LAGGING_AFTER} ago still to apply. */
    LAGGING,
    /** Connected, reporting no position (a sidecar from before acknowledgements). */
    NOT_REPORTING,
    /** Its stream ended, or its replica has not written it for {@link SidecarFleet#SILENT_AFTER}. */
    GONE
}
