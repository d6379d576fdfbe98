package dev.foyer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where a test Foyer runs: a real server on a fixed free port (so that FOYER_BASE_URL, and with it every issuer,
 * is known before start), with a fresh data directory and known bootstrap client credentials. One server per
 * database kind per test JVM; tests create their own tenants, so they never see each other's data.
 */
public final class TestFoyer {

	public static final String CLIENT_ID = "test-automation";

	public static final String CLIENT_SECRET = "test-automation-secret-0123456789-abcdefghij";

	private TestFoyer() {
	}

	/** A port free on the loopback interface, where every server the tests and benchmarks start listens. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A fresh directory for a server's data (H2 files, master key) under {@code target/test-data}, not the system's
	 * temporary directory: the build removes that folder before each test run (pom.xml), so test runs leave nothing
	 * behind, and no test key ever sits in a shared /tmp.
	 */
	public static Path tempDir(String prefix) {
		try {
			return Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data").toAbsolutePath()), prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void apply(ConfigurableApplicationContext context, int port, Path dataDir, String... more) {
		TestPropertyValues.of("server.port=" + port, "foyer.base-url=http://localhost:" + port,
				"foyer.data-dir=" + dataDir, "foyer.bootstrap.client-id=" + CLIENT_ID,
				"foyer.bootstrap.client-secret=" + CLIENT_SECRET, "logging.level.dev.foyer.request=WARN")
			.and(more)
			.applyTo(context);
	}

	/** Foyer on its embedded default database, an H2 file in the data directory. */
	public static final class OnH2 implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		static final int PORT = freePort();

		static final Path DATA = tempDir("foyer-h2-");

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			apply(context, PORT, DATA);
		}

	}

	/** Foyer on H2 with a port and data directory of its own, for a test that needs a context of its own. */
	public static final class OnOwnH2 implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			apply(context, freePort(), tempDir("foyer-own-"));
		}

	}

	/** Foyer on H2 whose public base URL is https, as behind a proxy that ends TLS: Foyer itself still speaks http. */
	public static final class OnH2BehindHttps implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			int port = freePort();
			apply(context, port, tempDir("foyer-https-"), "foyer.base-url=https://localhost:" + port);
		}

	}

	/**
	 * Foyer on H2 that sends its mail to a real SMTP server (GreenMail) running in the test JVM, for browser flows.
	 */
	public static final class OnH2WithMail implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			apply(context, freePort(), tempDir("foyer-mail-"), "spring.mail.host=127.0.0.1",
					"spring.mail.port=" + MailServer.port(), "foyer.rate-limit.per-ip-per-minute=100000");
		}

	}

	/** Foyer on a real PostgreSQL server. */
	public static final class OnPostgres implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		static final int PORT = freePort();

		static final Path DATA = tempDir("foyer-pg-");

		private static String url;

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			synchronized (OnPostgres.class) {
				if (url == null) {
					url = PostgresServer.newDatabaseUrl();
				}
			}
			apply(context, PORT, DATA, "spring.datasource.url=" + url, "spring.datasource.username=postgres",
					"spring.datasource.password=");
		}

	}

}
