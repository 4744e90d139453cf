package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface SettingsDao {

    @SqlQuery("SELECT name, setting_value FROM settings")
    @KeyColumn("name")
    @ValueColumn("setting_value")
    Map<String, String> findAll();

    @SqlQuery("SELECT setting_value FROM settings WHERE name = :name")
    Optional<String> find(String name);

    @SqlUpdate("UPDATE settings SET setting_value = :value, updated_at = :at WHERE name = :name")
    int update(String name, String value, Instant at);

    @SqlUpdate("INSERT INTO settings (name, setting_value, updated_at) VALUES (:name, :value, :at)")
    void insert(String name, String value, Instant at);

    default void put(String name, String value, Instant at) {
        if (update(name, value, at) == 0) {
            insert(name, value, at);
        }
    }
}
