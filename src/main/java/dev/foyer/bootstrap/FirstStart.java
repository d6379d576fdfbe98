package dev.foyer.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.foyer.application.Applications;
import dev.foyer.config.FoyerProperties;
import dev.foyer.config.InvalidConfigurationException;
import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.DirectoryRole;
import dev.foyer.directory.RoleAssignments;
import dev.foyer.keys.SigningKeys;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;
import dev.foyer.web.ApiException;

/**
 * At first start, creates the admin tenant, a bootstrap admin account and a bootstrap service application, both
 * Global administrators. Credentials come from FOYER_BOOTSTRAP_*; those not given are generated, printed once
 * and written to a file only the owner can read. Later starts find the admin tenant and change nothing.
 */
@Component
@Order(0)
class FirstStart implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstStart.class);

	static final String CREDENTIALS_FILE = "bootstrap-credentials.txt";

	static final String DEFAULT_ADMIN_EMAIL = "admin@foyer.local";

	private final Tenants tenants;

	private final Accounts accounts;

	private final Applications applications;

	private final RoleAssignments roles;

	private final SigningKeys keys;

	private final FoyerProperties properties;

	private final TransactionTemplate transactions;

	FirstStart(Tenants tenants, Accounts accounts, Applications applications, RoleAssignments roles, SigningKeys keys,
			FoyerProperties properties, TransactionTemplate transactions) {
		this.tenants = tenants;
		this.accounts = accounts;
		this.applications = applications;
		this.roles = roles;
		this.keys = keys;
		this.properties = properties;
		this.transactions = transactions;
	}

	@Override
	public void run(ApplicationArguments args) {
		verifyMasterKey();
		int added = this.keys.ensureComplete();
		if (added > 0) {
			log.info("Generated {} missing signing key(s) so that every tenant can sign with RS256 and ES256", added);
		}
		if (this.tenants.find(Tenant.ADMIN).isPresent()) {
			return;
		}
		FoyerProperties.Bootstrap given = this.properties.bootstrap();
		String email = given.adminEmail() != null && !given.adminEmail().isBlank() ? given.adminEmail() : DEFAULT_ADMIN_EMAIL;
		String password = given.adminPassword() != null && !given.adminPassword().isBlank() ? given.adminPassword() : generate(18);
		String clientId = given.clientId() != null && !given.clientId().isBlank() ? given.clientId() : "foyer-admin-" + generate(6);
		String clientSecret = given.clientSecret() != null && !given.clientSecret().isBlank() ? given.clientSecret() : generate(32);
		if (clientSecret.length() < 32) {
			throw new InvalidConfigurationException("FOYER_BOOTSTRAP_CLIENT_SECRET", "is shorter than 32 characters",
					"Use a long random value, e.g. from: openssl rand -hex 32");
		}
		try {
			this.transactions.executeWithoutResult(status -> {
				this.tenants.createAdminTenant();
				Account admin = this.accounts.create(Tenant.ADMIN, new Accounts.NewAccount(email, password, "admin", true,
						true, new Accounts.Profile("Bootstrap administrator", null, null, null, null, null, null, null, null,
								null), null));
				this.roles.assign(Tenant.ADMIN, RoleAssignments.USER, admin.id(), DirectoryRole.GLOBAL_ADMINISTRATOR);
				var app = this.applications.register(Tenant.ADMIN, new Applications.NewApplication(
						"Foyer bootstrap automation", "service", List.of(), List.of()), clientId, clientSecret);
				this.roles.assign(Tenant.ADMIN, RoleAssignments.APPLICATION, app.application().id(),
						DirectoryRole.GLOBAL_ADMINISTRATOR);
			});
		}
		catch (ApiException ex) {
			if (this.tenants.find(Tenant.ADMIN).isPresent()) {
				return; // another node bootstrapped the same database a moment earlier
			}
			throw new InvalidConfigurationException("FOYER_BOOTSTRAP_*", describe(ex),
					"Correct the bootstrap settings (see docs/configuration.md) and start again.");
		}
		catch (DataIntegrityViolationException ex) {
			// Nodes started together on an empty database: the one whose admin tenant committed first bootstrapped it.
			if (this.tenants.find(Tenant.ADMIN).isPresent()) {
				return;
			}
			throw ex;
		}
		report(given, email, password, clientId, clientSecret);
	}

	private void verifyMasterKey() {
		try {
			this.keys.verifyAll();
		}
		catch (IllegalStateException ex) {
			throw new InvalidConfigurationException("FOYER_MASTER_KEY",
					"does not open the signing keys stored in the database (nor does any key in FOYER_MASTER_KEY_FALLBACKS)",
					"Start with the master key this database was created with; to change it, give the old one in "
							+ "FOYER_MASTER_KEY_FALLBACKS (docs/operations.md#rotating-the-master-key).");
		}
	}

	private void report(FoyerProperties.Bootstrap given, String email, String password, String clientId, String secret) {
		List<String> generated = new ArrayList<>();
		if (given.adminEmail() == null || given.adminEmail().isBlank()) {
			generated.add("FOYER_BOOTSTRAP_ADMIN_EMAIL=" + email);
		}
		if (given.adminPassword() == null || given.adminPassword().isBlank()) {
			generated.add("FOYER_BOOTSTRAP_ADMIN_PASSWORD=" + password);
		}
		if (given.clientId() == null || given.clientId().isBlank()) {
			generated.add("FOYER_BOOTSTRAP_CLIENT_ID=" + clientId);
		}
		if (given.clientSecret() == null || given.clientSecret().isBlank()) {
			generated.add("FOYER_BOOTSTRAP_CLIENT_SECRET=" + secret);
		}
		log.info("First start: created the admin tenant, the bootstrap admin account {} and the bootstrap service client {}",
				email, clientId);
		if (generated.isEmpty()) {
			return;
		}
		Path file = this.properties.dataDir().resolve(CREDENTIALS_FILE);
		try {
			Files.createDirectories(this.properties.dataDir());
			Files.writeString(file, String.join("\n", generated) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (IOException | UnsupportedOperationException ex) {
			log.warn("Could not write {}: {}", file, ex.getMessage());
		}
		// Printed once, on purpose: there is no other way to learn generated credentials.
		System.out.println("""

				================ Foyer first start: generated bootstrap credentials ================
				%s
				They are shown only now, and kept in %s (readable by its owner only).
				=====================================================================================
				""".formatted(String.join("\n", generated), file.toAbsolutePath()));
	}

	private static String describe(ApiException ex) {
		return ex.fieldProblems().isEmpty() ? ex.getMessage()
				: ex.fieldProblems().stream().map(p -> p.field() + " " + p.message()).reduce((a, b) -> a + "; " + b).orElse("");
	}

	private static String generate(int bytes) {
		byte[] random = new byte[bytes];
		new SecureRandom().nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

}
