package dev.tokenauthority.authority.fleet;

import java.util.List;
import java.util.Map;

/** The fleet as ListSidecars shows it: connected sidecars first (most behind first), then those gone. */
public record FleetListing(long headSequence, List<ListedSidecar> sidecars, Map<SidecarState, Integer> counts) {
}
