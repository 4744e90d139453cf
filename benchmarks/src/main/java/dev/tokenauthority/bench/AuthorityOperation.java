package dev.tokenauthority.bench;

/** The AuthService calls {@link AuthorityLoad} measures, one cell each per concurrency. */
enum AuthorityOperation { LOGIN, REFRESH, INTROSPECT }
