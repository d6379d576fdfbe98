package dev.foyer.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

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

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

}
