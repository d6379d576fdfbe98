package dev.foyer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.foyer.support.MailServer;
import dev.foyer.support.Person;

/**
 * The jar as {@code ./foyer run} starts it: with the beans prepared at build time ({@code -Dspring.aot.enabled=true}).
 * Runs after {@code package} (Maven Failsafe), because the ahead-of-time processing happens there. Proves that the
 * prepared beans serve the whole sign-up and sign-in, that the SMTP settings are still read when Foyer starts (the
 * mail sender used to exist only when {@code spring.mail.host} was set, which the build would have fixed), and that
 * the one setting those beans cannot honour, a separate management port, stops the start with a clear message.
 */
class AheadOfTimeRunIT {

	private static final Path JAR = Path.of("target/foyer.jar");

	private static final String SECRET = Person.random() + Person.random();

	private static final String REDIRECT = "http://127.0.0.1:9/callback";

	private final List<FoyerServer> started = new ArrayList<>();

	@TempDir
	Path work;

	@AfterEach
	void stop() throws InterruptedException {
		for (FoyerServer server : this.started) {
			server.stop(Duration.ofSeconds(20));
		}
	}

	@Test
	void thePreparedBeansSignPeopleUpAndInAndMailThroughSmtp() throws Exception {
		FoyerServer foyer = server(this.work.resolve("run"));
		foyer.environment("SPRING_MAIL_HOST", "127.0.0.1").environment("SPRING_MAIL_PORT", Integer.toString(MailServer.port()));
		foyer.startAndAwaitReady(Duration.ofMinutes(2));
		assertThat(Files.readString(foyer.currentLog())).contains("Starting AOT-processed FoyerApplication");

		AdminApi admin = new AdminApi(foyer.base(), FoyerServer.CLIENT_ID, SECRET);
		assertThat(admin.postJson("/api/v1/tenants", Map.of("id", "aot", "displayName", "Prepared")).status()).isEqualTo(201);
		AdminApi.Answer created = admin.postJson("/api/v1/tenants/aot/applications",
				Map.of("displayName", "Web", "type", "web", "redirectUris", List.of(REDIRECT)));
		assertThat(created.status()).isEqualTo(201);
		JsonNode web = AdminApi.JSON.readTree(created.body());
		Person.WebApp app = new Person.WebApp("aot", web.get("clientId").asString(), web.get("clientSecret").asString(),
				REDIRECT);

		String email = "prepared-" + Person.random().substring(0, 8).toLowerCase() + "@example.com";
		Person.Tokens signedUp = new Person().signUp(app,
				new Person.Newcomer(email, "correct horse battery staple", "Ada", "Prepared"), MailServer::latestCode,
				foyer.base());
		assertThat(signedUp.status()).isEqualTo(200);
		assertThat(MailServer.mailsTo(email)).isNotEmpty();

		Person.Tokens signedIn = new Person().signIn(app, email, "correct horse battery staple", foyer.base(), foyer.base());
		assertThat(signedIn.status()).isEqualTo(200);
		assertThat(signedIn.json().get("id_token").asString()).isNotBlank();
		assertThat(signedIn.refreshToken()).isNotBlank();
	}

	@Test
	void aSeparateManagementPortIsRefusedWithAClearMessage() throws Exception {
		FoyerServer foyer = server(this.work.resolve("management"));
		foyer.environment("MANAGEMENT_SERVER_PORT", "0");
		assertThatThrownBy(() -> foyer.startAndAwaitReady(Duration.ofMinutes(2))).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("exited");
		assertThat(Files.readString(foyer.currentLog()))
			.contains("Foyer cannot start: MANAGEMENT_SERVER_PORT (management.server.port): a separate management port is decided when the jar is built")
			.doesNotContain("Started FoyerApplication");
	}

	private FoyerServer server(Path workDir) throws java.io.IOException {
		Files.createDirectories(workDir);
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		FoyerServer server = new FoyerServer(java, JAR.toAbsolutePath(),
				FoyerServer.jvmOptionsWith("-Dspring.aot.enabled=true"), Path.of("").toAbsolutePath(), workDir, SECRET);
		this.started.add(server);
		return server;
	}

}
