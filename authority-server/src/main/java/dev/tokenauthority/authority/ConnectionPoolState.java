package dev.tokenauthority.authority;

/**
 * The database connection pool at one moment, as metrics show it: connections in use, idle, callers waiting for one,
 * and the pool's maximum.
 */
public record ConnectionPoolState(int active, int idle, int waiting, int max) {}
