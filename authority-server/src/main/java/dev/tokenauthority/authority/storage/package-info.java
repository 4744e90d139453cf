/**
 * The SQL behind every store interface, and the only package that knows there is a database.
 *
 * <p>The domain packages state what they keep as small interfaces ({@code SessionStore},
 * {@code RefreshTokenStore}, {@code AuditStore}, ...) and reach them through
 * {@link dev.tokenauthority.authority.Transaction#store}. This package implements each one the
 * same way: a {@code Jdbi...Store} class over one Jdbi {@link org.jdbi.v3.core.Handle}, built by
 * its constructor in {@link dev.tokenauthority.authority.storage.Stores} (no reflection), with its
 * SQL in text blocks through Jdbi's fluent API. Not SQL objects: in Jdbi 3.54 every
 * {@code Handle.attach} of a SQL object rebuilds its metadata (jdbi/jdbi#2991), which profiling
 * showed to be two thirds of a refresh's CPU. A store instance lives as long as its transaction.
 *
 * <p>Nothing outside this package imports it except the composition roots ({@code server},
 * {@code config}); {@code ArchitectureTest} checks that, and that the package graph has no cycle.
 */
package dev.tokenauthority.authority.storage;
