package dev.foyer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.foyer.FoyerApplication;
import dev.foyer.support.PostgresServer;

/**
 * Starts Foyer as an operator would, in its own JVM: with one bad setting it stops with one clear message and no
 * stack trace; with a data directory given relative to the working directory it starts, keeps everything there, and
 * warns only of what an operator can act on.
 */
class StartupTest {

	@TempDir
	Path dataDir;

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"FOYER_BASE_URL|not-a-url|FOYER_BASE_URL (foyer.base-url): 'not-a-url' is not an absolute http(s) URL",
			"FOYER_BASE_URL|https://id.example.com/foyer|has a path",
			"FOYER_MASTER_KEY|c2hvcnQ=|must be 32 bytes",
			"FOYER_MASTER_KEY|%%%|is not valid base64",
			"FOYER_CRYPTO_OPENSSL|maybe|FOYER_CRYPTO_OPENSSL (foyer.crypto.openssl): is \"maybe\", which is neither auto nor off",
			"SPRING_DATASOURCE_URL|jdbc:postgresql://127.0.0.1:1/foyer|the database is unreachable",
			"FOYER_DATA_DIR|/dev/null|FOYER_DATA_DIR (foyer.data-dir): /dev/null is a file, not a directory",
			"FOYER_RATE_LIMIT_PER_IP_PER_MINUTE|sixty|FOYER_RATE_LIMIT_PER_IP_PER_MINUTE (foyer.rate-limit.per-ip-per-minute): 'sixty' is not a whole number",
			"FOYER_HOUSEKEEPING_INTERVAL|often|FOYER_HOUSEKEEPING_INTERVAL (foyer.housekeeping.interval): 'often' is not a duration" })
	void stopsWithOneClearMessage(String variable, String value, String message) throws Exception {
		Map<String, String> settings = new HashMap<>(Map.of("FOYER_DATA_DIR", this.dataDir.toString()));
		settings.put(variable, value);
		assertThat(failedStart(settings)).contains(message);
	}

	@Test
	void stopsWithOneClearMessageWhenAnotherProcessHoldsTheEmbeddedDatabase() throws Exception {
		// Holding the H2 file open here is what a second Foyer on the same data directory meets.
		try (Connection held = DriverManager.getConnection("jdbc:h2:file:" + this.dataDir.resolve("foyer"), "foyer", "")) {
			assertThat(failedStart(Map.of("FOYER_DATA_DIR", this.dataDir.toString())))
				.contains("Foyer cannot start: the embedded database " + this.dataDir.resolve("foyer.mv.db")
						+ " is in use by another process")
				.contains("give this one a FOYER_DATA_DIR of its own");
		}
	}

	@Test
	void stopsWithOneClearMessageWhenThePostgresDatabaseDoesNotExist() throws Exception {
		String missing = PostgresServer.newDatabaseUrl().replaceFirst("/foyer_test_\\d+", "/no_such_database");
		assertThat(failedStart(Map.of("FOYER_DATA_DIR", this.dataDir.toString(), "SPRING_DATASOURCE_URL", missing,
				"SPRING_DATASOURCE_USERNAME", "postgres", "SPRING_DATASOURCE_PASSWORD", "")))
			.contains("Foyer cannot start: the database does not exist")
			.contains("no_such_database")
			.contains("Create it first");
	}

	@Test
	void stopsWithOneClearMessageWhenTheDatabaseUserMayNotCreateTables() throws Exception {
		// PostgreSQL 15 and newer give a database's public schema to its owner only; this is what another user meets.
		String url = PostgresServer.newDatabaseUrl();
		String user = "limited_" + this.dataDir.getFileName().toString().replaceAll("\\W", "").toLowerCase(Locale.ROOT);
		try (Connection owner = DriverManager.getConnection(url, "postgres", "");
				Statement sql = owner.createStatement()) {
			sql.execute("create role " + user + " login password 'pw'");
			sql.execute("revoke create on schema public from public");
		}
		assertThat(failedStart(Map.of("FOYER_DATA_DIR", this.dataDir.toString(), "SPRING_DATASOURCE_URL",
				url.replaceFirst("\\?.*", ""), "SPRING_DATASOURCE_USERNAME", user, "SPRING_DATASOURCE_PASSWORD", "pw")))
			.contains("Foyer cannot start: the database user may not create or change Foyer's tables")
			.contains("permission denied for schema public")
			.contains("the owner of the database");
	}

	@Test
	@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void startsWithADataDirectoryRelativeToTheWorkingDirectory() throws Exception {
		Process process = start(this.dataDir, Map.of("FOYER_DATA_DIR", "here"));
		try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
			StringBuilder output = new StringBuilder();
			String line;
			while ((line = lines.readLine()) != null && !line.contains("Started FoyerApplication")) {
				output.append(line).append('\n');
			}
			assertThat(line).as("Foyer should start; its output was:%n%s", output).isNotNull();
			assertThat(output).as("no stack trace").doesNotContain("\tat ");
			// Only warnings an operator can act on (no master key, no SMTP), not libraries' notes on themselves.
			assertThat(output.toString().lines().filter(l -> l.contains(" WARN "))).allSatisfy(
					warning -> assertThat(warning).containsAnyOf("FOYER_MASTER_KEY is not set", "No SMTP server configured"));
		}
		finally {
			process.destroy();
			process.waitFor(30, TimeUnit.SECONDS);
		}
		Path here = this.dataDir.resolve("here");
		assertThat(here.resolve("foyer.mv.db")).isRegularFile();
		assertThat(here.resolve("master.key")).isRegularFile();
		assertThat(here.resolve("tomcat").resolve("work")).isDirectory();
	}

	/**
	 * Starts Foyer with {@code settings} and checks that it stopped by itself with a failure analysis and no stack
	 * trace; answers its output.
	 */
	private String failedStart(Map<String, String> settings) throws Exception {
		Process process = start(this.dataDir, settings);
		assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("Foyer should stop by itself").isTrue();
		String output = read(process);
		assertThat(process.exitValue()).isNotZero();
		assertThat(output).contains("APPLICATION FAILED TO START").contains("Foyer cannot start");
		assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Caused by:");
		return output;
	}

	/** Foyer's main class in a JVM of its own, in {@code workingDirectory}, on a free port. */
	private static Process start(Path workingDirectory, Map<String, String> settings) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), FoyerApplication.class.getName());
		builder.directory(workingDirectory.toFile());
		builder.environment().put("SERVER_PORT", "0");
		builder.environment().putAll(settings);
		builder.redirectErrorStream(true);
		return builder.start();
	}

	private static String read(Process process) throws IOException {
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

}
