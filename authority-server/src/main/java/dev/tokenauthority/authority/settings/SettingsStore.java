package dev.tokenauthority.authority.settings;

import java.time.Instant;
import java.util.Map;

/** The run-time settings an administrator changed, by name, each in its stored (string) form. */
public interface SettingsStore {

    /** Every stored setting, by name; a setting never stored is absent. */
    Map<String, String> findAll();

    /** Stores a setting's value, replacing the one stored before, if any. */
    void put(String name, String value, Instant at);
}
