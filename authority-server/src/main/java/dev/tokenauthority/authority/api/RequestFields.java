package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.Device;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.issuance.DeviceInfo;
import java.util.List;

/**
 * Validation of request fields before anything reaches the domain: INVALID_ARGUMENT naming the
 * field for missing, malformed or oversized values. Strings are capped so no caller can make
 * the authority hash, store or log megabytes.
 */
final class RequestFields {

    /** The cap on any string field (ids, names, secrets, tokens). */
    static final int MAX_LENGTH = 4096;
    /** The cap on free-text reasons and notes. */
    static final int MAX_REASON_LENGTH = 1024;
    /** The cap on the number of entries of a repeated field. */
    static final int MAX_LIST_SIZE = 64;

    private RequestFields() {}

    static String required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw AuthorityException.invalidArgument(field, "is required");
        }
        return optional(field, value);
    }

    static String optional(String field, String value) {
        return optional(field, value, MAX_LENGTH);
    }

    static String optional(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw AuthorityException.invalidArgument(field, "is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw AuthorityException.invalidArgument(field, "contains control characters");
            }
        }
        return value;
    }

    static String reason(String field, String value) {
        return optional(field, value, MAX_REASON_LENGTH);
    }

    static List<String> names(String field, List<String> values) {
        if (values.size() > MAX_LIST_SIZE) {
            throw AuthorityException.invalidArgument(field, "has more than " + MAX_LIST_SIZE + " entries");
        }
        for (String value : values) {
            if (value.isEmpty() || value.length() > 256 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw AuthorityException.invalidArgument(field, "entries must be 1-256 printable ASCII characters without spaces");
            }
        }
        return values;
    }

    static DeviceInfo device(Device device) {
        return new DeviceInfo(
                emptyToNull(optional("device.device_id", device.getDeviceId(), 256)),
                emptyToNull(optional("device.user_agent", device.getUserAgent(), 1024)),
                emptyToNull(optional("device.name", device.getName(), 256)));
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
