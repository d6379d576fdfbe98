package dev.foyer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.config.FoyerProperties;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class FirstStartTest extends FoyerIntegrationTest {

	@Autowired
	private FirstStart firstStart;

	@Autowired
	private FoyerProperties properties;

	@Test
	void createsTheAdminTenantWithGlobalAdministrators() {
		assertThat(count("select count(*) from tenant where id = 'admin'")).isEqualTo(1);
		assertThat(count("select count(*) from account where tenant_id = 'admin' and account_type = 'admin'")).isEqualTo(1);
		assertThat(count("select count(*) from role_assignment where tenant_id = 'admin' and role = 'GLOBAL_ADMINISTRATOR'"))
			.isEqualTo(2);
		assertThat(this.api.clientCredentials("admin", TestFoyer.CLIENT_ID, TestFoyer.CLIENT_SECRET).status()).isEqualTo(200);
	}

	@Test
	void writesGeneratedCredentialsToAnOwnerOnlyFile() throws Exception {
		// The test run sets the client id and secret but not the admin password: only what was generated is written.
		Path file = this.properties.dataDir().resolve(FirstStart.CREDENTIALS_FILE);
		assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		String text = Files.readString(file);
		assertThat(text).contains("FOYER_BOOTSTRAP_ADMIN_PASSWORD=").contains("FOYER_BOOTSTRAP_ADMIN_EMAIL=admin@foyer.local")
			.doesNotContain("FOYER_BOOTSTRAP_CLIENT_SECRET");
		String password = text.lines().filter(l -> l.startsWith("FOYER_BOOTSTRAP_ADMIN_PASSWORD=")).findFirst().orElseThrow()
			.substring("FOYER_BOOTSTRAP_ADMIN_PASSWORD=".length());
		String hash = this.jdbc.sql("select password_hash from account where tenant_id = 'admin' and email_normalized = ?")
			.param("admin@foyer.local")
			.query(String.class)
			.single();
		assertThat(new dev.foyer.directory.PasswordHashing().matches(password, hash)).isTrue();
	}

	@Test
	void aRestartChangesNothing() throws Exception {
		String before = snapshot();
		this.firstStart.run(new DefaultApplicationArguments());
		assertThat(snapshot()).isEqualTo(before);
	}

	private String snapshot() {
		return this.jdbc.sql("select id, password_hash from account where tenant_id = 'admin' order by id").query().listOfRows()
				+ "|" + this.jdbc.sql("select id, client_id from application where tenant_id = 'admin' order by id").query().listOfRows()
				+ "|" + this.jdbc.sql("select secret_sha256 from client_secret where tenant_id = 'admin' order by id").query().listOfRows()
				+ "|" + this.jdbc.sql("select kid from signing_key where tenant_id = 'admin'").query().listOfRows();
	}

	private int count(String sql) {
		return this.jdbc.sql(sql).query(Integer.class).single();
	}

}
