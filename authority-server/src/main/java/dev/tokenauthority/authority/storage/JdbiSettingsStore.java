package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.settings.SettingsStore;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.generic.GenericType;

/** The SQL behind {@link SettingsStore}. */
final class JdbiSettingsStore implements SettingsStore {

    private static final GenericType<Map<String, String>> BY_NAME = new GenericType<>() {};

    private final Handle handle;

    JdbiSettingsStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Map<String, String> findAll() {
        return handle.createQuery("SELECT name, setting_value FROM settings")
                .setMapKeyColumn("name").setMapValueColumn("setting_value").collectInto(BY_NAME);
    }

    @Override
    public void put(String name, String value, Instant at) {
        int updated = handle.createUpdate("UPDATE settings SET setting_value = :value, updated_at = :at WHERE name = :name")
                .bind("value", value).bind("at", at).bind("name", name).execute();
        if (updated == 0) {
            handle.createUpdate("INSERT INTO settings (name, setting_value, updated_at) VALUES (:name, :value, :at)")
                    .bind("name", name).bind("value", value).bind("at", at).execute();
        }
    }
}
