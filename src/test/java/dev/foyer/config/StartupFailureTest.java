package dev.foyer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.foyer.FoyerApplication;

/**
 * Starts Foyer as an operator would, in its own JVM, with one bad setting, and checks that it stops with one clear
 * message and no stack trace.
 */
class StartupFailureTest {

	@TempDir
	Path dataDir;

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"FOYER_BASE_URL|not-a-url|FOYER_BASE_URL (foyer.base-url): 'not-a-url' is not an absolute http(s) URL",
			"FOYER_BASE_URL|https://id.example.com/foyer|has a path",
			"FOYER_MASTER_KEY|c2hvcnQ=|must be 32 bytes",
			"FOYER_MASTER_KEY|%%%|is not valid base64",
			"FOYER_CRYPTO_OPENSSL|maybe|FOYER_CRYPTO_OPENSSL (foyer.crypto.openssl): is \"maybe\", which is neither auto nor off",
			"SPRING_DATASOURCE_URL|jdbc:postgresql://127.0.0.1:1/foyer|the database is unreachable" })
	void stopsWithOneClearMessage(String variable, String value, String message) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), FoyerApplication.class.getName());
		Map<String, String> env = builder.environment();
		env.put("FOYER_DATA_DIR", this.dataDir.toString());
		env.put("SERVER_PORT", "0");
		env.put(variable, value);
		builder.redirectErrorStream(true);
		Process process = builder.start();
		assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("Foyer should stop by itself").isTrue();
		String output = read(process);
		assertThat(process.exitValue()).isNotZero();
		assertThat(output).contains("APPLICATION FAILED TO START").contains("Foyer cannot start").contains(message);
		assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Caused by:");
	}

	private static String read(Process process) throws IOException {
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

}
