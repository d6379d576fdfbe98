package dev.foyer.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.foyer.mail.Deliveries;

/**
 * A test against a real Foyer over HTTP. Concrete classes pick the database with
 * {@code @ContextConfiguration(initializers = TestFoyer.OnH2.class)} or {@code TestFoyer.OnPostgres.class}; the
 * scenarios themselves are written once, in abstract classes, and run on both.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class FoyerIntegrationTest {

	@Value("${server.port}")
	protected int port;

	@Autowired
	protected JdbcClient jdbc;

	protected Api api;

	@Autowired
	private Deliveries deliveries;

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	/**
	 * Waits until the codes and notes Foyer sends after its answers ({@link Deliveries}) have gone out, so that a test
	 * can look at the mails (or at an extension's calls), including at the ones that must not exist.
	 */
	protected void deliveriesSent() throws InterruptedException {
		assertThat(this.deliveries.awaitIdle(Duration.ofSeconds(10))).as("deliveries still under way after 10 s").isTrue();
	}

}
