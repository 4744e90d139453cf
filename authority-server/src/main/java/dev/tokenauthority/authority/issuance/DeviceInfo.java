package dev.tokenauthority.authority.issuance;

/** What a client reports about the device a session lives on; every field may be null. */
public record DeviceInfo(String deviceId, String userAgent, String name) {

    public static final DeviceInfo NONE = new DeviceInfo(null, null, null);
}
